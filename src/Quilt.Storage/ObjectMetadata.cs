namespace Quilt.Storage;

/// <summary>What a HEAD (or the headers of a GET) says about an object.</summary>
/// <param name="Location">The object, with the version actually read when the store is versioned.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="ETag">ETag with quotes.</param>
/// <param name="LastModified">Last modification time.</param>
/// <param name="ContentType">Content type.</param>
/// <param name="StorageClass">Storage class (S3 omits it for STANDARD).</param>
/// <param name="UserMetadata">User metadata (<c>x-amz-meta-*</c>) with names as S3 returns them, without the prefix.</param>
/// <param name="Checksums">Stored checksums, when the store keeps any.</param>
/// <param name="PartsCount">Number of parts of a multipart object, when known.</param>
public sealed record ObjectMetadata(
    ObjectLocation Location,
    long Size,
    string? ETag,
    DateTimeOffset? LastModified,
    string? ContentType,
    string? StorageClass,
    IReadOnlyDictionary<string, string> UserMetadata,
    ObjectChecksums Checksums,
    int? PartsCount = null);
