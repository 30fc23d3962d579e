namespace Quilt.Packaging.Pipeline;

/// <summary>Where a package was written, as results name it: the bucket (or folder) and the registry URI.</summary>
/// <param name="IsS3">Whether the registry is an S3 bucket.</param>
/// <param name="Bucket">The bucket name, or the folder path.</param>
/// <param name="Uri">The registry URI (<c>s3://bucket</c> or <c>file:///…</c>).</param>
public sealed record PackageRegistryRef(bool IsS3, string Bucket, string Uri);
