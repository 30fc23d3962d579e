namespace Quilt.Storage;

/// <summary>One object as a listing reports it.</summary>
/// <param name="Key">The full key.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="ETag">The ETag with its quotes, as S3 returns it.</param>
/// <param name="LastModified">Last modification time.</param>
/// <param name="VersionId">Version id when listed from a versioned bucket (latest versions only), else null.</param>
/// <param name="StorageClass">Storage class, when reported.</param>
/// <param name="IsFolderMarker">True for a zero-content key ending in '/', which packages skip.</param>
public sealed record ObjectSummary(
    string Key,
    long Size,
    string? ETag,
    DateTimeOffset? LastModified,
    string? VersionId,
    string? StorageClass,
    bool IsFolderMarker);
