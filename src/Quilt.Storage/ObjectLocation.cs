namespace Quilt.Storage;

/// <summary>
/// Where an object lives. For S3, <see cref="Bucket"/> is the bucket name; for a local store it is the absolute
/// path of the folder that stands in for a bucket, and <see cref="Key"/> is a '/'-separated path below it.
/// </summary>
/// <param name="Bucket">Bucket name, or absolute folder path for a local store.</param>
/// <param name="Key">Object key (no leading '/' unless S3 really has one).</param>
/// <param name="VersionId">S3 version to pin; null means the current version.</param>
public sealed record ObjectLocation(string Bucket, string Key, string? VersionId = null);
