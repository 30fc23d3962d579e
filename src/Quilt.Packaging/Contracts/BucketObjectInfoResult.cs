namespace Quilt.Packaging.Contracts;

/// <summary>What S3 says about one object: metadata and stored checksums.</summary>
/// <param name="Uri">The object's URI.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="ContentType">Content type.</param>
/// <param name="ETag">ETag.</param>
/// <param name="LastModified">Last modification time.</param>
/// <param name="VersionId">Version id.</param>
/// <param name="StorageClass">Storage class.</param>
/// <param name="UserMetadata">User metadata (<c>x-amz-meta-*</c> without the prefix).</param>
/// <param name="Checksums">Stored checksums by algorithm (<c>SHA256</c>, <c>CRC64NVME</c>, …).</param>
public sealed record BucketObjectInfoResult(
    string Uri,
    long Size,
    string? ContentType,
    string? ETag,
    DateTimeOffset? LastModified,
    string? VersionId,
    string? StorageClass,
    IReadOnlyDictionary<string, string> UserMetadata,
    IReadOnlyDictionary<string, string> Checksums);
