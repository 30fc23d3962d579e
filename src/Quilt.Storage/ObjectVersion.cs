namespace Quilt.Storage;

/// <summary>One version (or delete marker) of an object, as a version listing reports it.</summary>
/// <param name="Key">The full key.</param>
/// <param name="VersionId">The version id; null in a store or bucket without versions.</param>
/// <param name="ETag">The ETag with its quotes; null for delete markers and stores without ETags.</param>
/// <param name="Size">Size in bytes (0 for delete markers).</param>
/// <param name="LastModified">When the version was written.</param>
/// <param name="IsLatest">Whether it is the current version of the key.</param>
/// <param name="IsDeleteMarker">Whether it is a delete marker rather than content.</param>
public sealed record ObjectVersion(
    string Key,
    string? VersionId,
    string? ETag,
    long Size,
    DateTimeOffset? LastModified,
    bool IsLatest,
    bool IsDeleteMarker);
