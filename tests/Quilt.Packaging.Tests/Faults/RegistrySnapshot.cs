using Amazon.S3;
using Amazon.S3.Model;

namespace Quilt.Packaging.Tests.Faults;

/// <summary>One object version (or delete marker) of a bucket, as ListObjectVersions shows it.</summary>
internal sealed record VersionRow(string Key, string VersionId, string? ETag, long Size, bool IsLatest, bool IsDeleteMarker, DateTime? LastModified)
{
    public override string ToString() => $"{Key}?versionId={VersionId} etag={ETag} size={Size}{(IsLatest ? " latest" : "")}{(IsDeleteMarker ? " delete-marker" : "")} {LastModified:O}";
}

/// <summary>Every version, delete marker and open multipart upload of a bucket, listed with the raw SDK client.</summary>
internal sealed record RegistrySnapshot(IReadOnlyList<VersionRow> Versions, IReadOnlyList<string> Uploads)
{
    public static async Task<RegistrySnapshot> TakeAsync(AmazonS3Client raw, string bucket, CancellationToken cancellationToken)
    {
        var versions = new List<VersionRow>();
        string? keyMarker = null, versionMarker = null;
        while (true)
        {
            var page = await raw.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket, KeyMarker = keyMarker, VersionIdMarker = versionMarker }, cancellationToken);
            versions.AddRange((page.Versions ?? []).Select(v => new VersionRow(
                v.Key, v.VersionId ?? "", v.IsDeleteMarker == true ? null : v.ETag, v.Size ?? 0, v.IsLatest == true, v.IsDeleteMarker == true, v.LastModified)));
            if (page.IsTruncated != true)
            {
                break;
            }

            (keyMarker, versionMarker) = (page.NextKeyMarker, page.NextVersionIdMarker);
        }

        var uploads = new List<string>();
        string? uploadKeyMarker = null, uploadIdMarker = null;
        while (true)
        {
            var page = await raw.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket, KeyMarker = uploadKeyMarker, UploadIdMarker = uploadIdMarker }, cancellationToken);
            uploads.AddRange((page.MultipartUploads ?? []).Select(u => $"{u.Key} upload {u.UploadId}"));
            if (page.IsTruncated != true)
            {
                break;
            }

            (uploadKeyMarker, uploadIdMarker) = (page.NextKeyMarker, page.NextUploadIdMarker);
        }

        return new RegistrySnapshot(
            [.. versions.OrderBy(v => v.Key, StringComparer.Ordinal).ThenBy(v => v.VersionId, StringComparer.Ordinal)],
            [.. uploads.Order(StringComparer.Ordinal)]);
    }

    /// <summary>Rows of this snapshot that <paramref name="earlier"/> does not have (ignoring which version is latest).</summary>
    public IReadOnlyList<VersionRow> AddedSince(RegistrySnapshot earlier)
    {
        var known = earlier.Versions.Select(v => v with { IsLatest = false }).ToHashSet();
        return [.. Versions.Where(v => !known.Contains(v with { IsLatest = false }))];
    }

    /// <summary>Rows of <paramref name="earlier"/> that this snapshot no longer has (ignoring which version is latest).</summary>
    public IReadOnlyList<VersionRow> RemovedSince(RegistrySnapshot earlier)
    {
        var now = Versions.Select(v => v with { IsLatest = false }).ToHashSet();
        return [.. earlier.Versions.Where(v => !now.Contains(v with { IsLatest = false }))];
    }
}
