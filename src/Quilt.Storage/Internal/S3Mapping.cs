using Amazon.S3;
using Amazon.S3.Model;

namespace Quilt.Storage.Internal;

/// <summary>Maps SDK responses to the store's records: listings to summaries, HEAD and GET answers to metadata.</summary>
internal static class S3Mapping
{
    private const string AmzMetaPrefix = "x-amz-meta-";

    /// <summary>A listed object; a zero-byte key ending in '/' is a folder marker.</summary>
    public static ObjectSummary ToSummary(S3Object item)
    {
        var size = item.Size ?? 0;
        return new ObjectSummary(
            item.Key,
            size,
            item.ETag,
            ToOffset(item.LastModified),
            null,
            NullIfEmpty(item.StorageClass?.Value),
            size == 0 && item.Key.EndsWith('/'));
    }

    /// <summary>A HEAD answer; the version it reports (when any) pins <paramref name="location"/>.</summary>
    public static ObjectMetadata ToMetadata(ObjectLocation location, GetObjectMetadataResponse r) =>
        Metadata(location, r.VersionId, r.ContentLength, r.ETag, r.LastModified, r.Headers.ContentType, r.StorageClass, r.Metadata, r.PartsCount,
            Checksums(r.ChecksumSHA256, r.ChecksumCRC64NVME, r.ChecksumCRC32, r.ChecksumCRC32C, r.ChecksumSHA1, r.ChecksumType));

    /// <summary>A GET answer's headers, as <see cref="ToMetadata(ObjectLocation, GetObjectMetadataResponse)"/> maps a HEAD.</summary>
    public static ObjectMetadata ToMetadata(ObjectLocation location, GetObjectResponse r) =>
        Metadata(location, r.VersionId, r.ContentLength, r.ETag, r.LastModified, r.Headers.ContentType, r.StorageClass, r.Metadata, r.PartsCount,
            Checksums(r.ChecksumSHA256, r.ChecksumCRC64NVME, r.ChecksumCRC32, r.ChecksumCRC32C, r.ChecksumSHA1, r.ChecksumType));

    /// <summary>A time as S3 reports it (UTC, or local from some SDK paths) as an offset in UTC.</summary>
    public static DateTimeOffset? ToOffset(DateTime? time) => time switch
    {
        null => null,
        { Kind: DateTimeKind.Utc } t => new DateTimeOffset(t, TimeSpan.Zero),
        { } t => new DateTimeOffset(t.ToUniversalTime(), TimeSpan.Zero),
    };

    /// <summary>The SDK reports absent headers as empty strings; the records say null.</summary>
    public static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static ObjectMetadata Metadata(
        ObjectLocation location, string? versionId, long size, string? etag, DateTime? lastModified, string? contentType, S3StorageClass? storageClass, MetadataCollection metadata, int? partsCount, ObjectChecksums checksums) =>
        new(
            location with { VersionId = NullIfEmpty(versionId) ?? location.VersionId },
            size,
            etag,
            ToOffset(lastModified),
            NullIfEmpty(contentType),
            NullIfEmpty(storageClass?.Value),
            UserMetadata(metadata),
            checksums,
            partsCount);

    private static ObjectChecksums Checksums(string? sha256, string? crc64Nvme, string? crc32, string? crc32C, string? sha1, ChecksumType? type) =>
        new(NullIfEmpty(sha256), NullIfEmpty(crc64Nvme), NullIfEmpty(crc32), NullIfEmpty(crc32C), NullIfEmpty(sha1), NullIfEmpty(type?.Value));

    private static Dictionary<string, string> UserMetadata(MetadataCollection metadata)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in metadata.Keys)
        {
            var shortName = name.StartsWith(AmzMetaPrefix, StringComparison.OrdinalIgnoreCase) ? name[AmzMetaPrefix.Length..] : name;
            result[shortName] = MetadataValues.Decode(metadata[name] ?? string.Empty);
        }

        return result;
    }
}
