namespace Quilt.Packaging.Contracts;

/// <summary>One object in a bucket listing.</summary>
/// <param name="Key">Object key.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="LastModified">Last modification time.</param>
/// <param name="ETag">ETag.</param>
/// <param name="VersionId">Version id when listed by version.</param>
/// <param name="StorageClass">Storage class.</param>
/// <param name="IsFolderMarker">A key ending in '/'.</param>
public sealed record BucketObjectView(string Key, long Size, DateTimeOffset? LastModified, string? ETag, string? VersionId, string? StorageClass, bool IsFolderMarker);
