using Amazon.S3;
using Amazon.S3.Model;

namespace Quilt.Storage.Internal;

/// <summary>Builds the read requests the store sends for a location (GET and HEAD of one version, whole or ranged).</summary>
internal static class S3Requests
{
    /// <summary>A GET of <paramref name="location"/>; optionally a byte range, an ETag it must still have, and stored checksums.</summary>
    public static GetObjectRequest Get(ObjectLocation location, ByteRange? range = null, string? etagToMatch = null, bool checksums = false) => new()
    {
        BucketName = location.Bucket,
        Key = location.Key,
        VersionId = location.VersionId,
        ByteRange = range,
        EtagToMatch = etagToMatch,
        ChecksumMode = checksums ? ChecksumMode.ENABLED : null,
    };

    /// <summary>A HEAD with stored checksums, of the version in <paramref name="location"/> or (<paramref name="current"/>) of the current object.</summary>
    public static GetObjectMetadataRequest Head(ObjectLocation location, bool current = false) => new()
    {
        BucketName = location.Bucket,
        Key = location.Key,
        VersionId = current ? null : location.VersionId,
        ChecksumMode = ChecksumMode.ENABLED,
    };
}
