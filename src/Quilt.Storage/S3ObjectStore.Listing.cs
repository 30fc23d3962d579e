using System.Runtime.CompilerServices;
using Amazon.S3.Model;
using Quilt.Core.Errors;
using static Quilt.Storage.Internal.S3Mapping;

namespace Quilt.Storage;

/// <summary>Listings: objects (one page, or all pages), object versions, and open multipart uploads.</summary>
public sealed partial class S3ObjectStore
{
    /// <inheritdoc/>
    public IAsyncEnumerable<ObjectSummary> ListAsync(string bucket, string prefix, bool latestVersions = false, CancellationToken cancellationToken = default)
    {
        RequireBucket(bucket);
        ArgumentNullException.ThrowIfNull(prefix);
        return latestVersions ? ListLatestVersionsAsync(bucket, prefix, cancellationToken) : ListCurrentAsync(bucket, prefix, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<ObjectListPage> ListPageAsync(string bucket, string prefix, string? delimiter, int maxKeys, string? continuationToken, CancellationToken cancellationToken = default)
    {
        RequireBucket(bucket);
        ArgumentNullException.ThrowIfNull(prefix);
        if (maxKeys < 1)
        {
            throw QuiltException.InvalidInput($"maxKeys must be at least 1, not {maxKeys}.", "Ask for 1 to 1000 keys per page.");
        }

        var response = await _runner.RunAsync(
            "ListObjectsV2",
            Target(bucket, prefix),
            ct => _client.ListObjectsV2Async(
                new ListObjectsV2Request
                {
                    BucketName = bucket,
                    Prefix = prefix,
                    Delimiter = string.IsNullOrEmpty(delimiter) ? null : delimiter,
                    MaxKeys = Math.Min(maxKeys, 1000),
                    ContinuationToken = string.IsNullOrEmpty(continuationToken) ? null : continuationToken,
                },
                ct),
            cancellationToken).ConfigureAwait(false);
        var objects = (response.S3Objects ?? []).Select(ToSummary).ToList();
        var prefixes = response.CommonPrefixes ?? [];
        return new ObjectListPage(objects, prefixes, response.IsTruncated == true ? response.NextContinuationToken : null);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ObjectVersion> ListVersionsAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        RequireBucket(bucket);
        ArgumentNullException.ThrowIfNull(prefix);
        await foreach (var item in VersionsAsync(bucket, prefix, cancellationToken).ConfigureAwait(false))
        {
            yield return new ObjectVersion(
                item.Key,
                await WrittenVersionAsync(bucket, item.VersionId, cancellationToken).ConfigureAwait(false),
                item.IsDeleteMarker == true ? null : NullIfEmpty(item.ETag),
                item.Size ?? 0,
                ToOffset(item.LastModified),
                item.IsLatest == true,
                item.IsDeleteMarker == true);
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<MultipartUpload> ListUploadsAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        RequireBucket(bucket);
        string? keyMarker = null;
        string? uploadIdMarker = null;
        while (true)
        {
            var (key, upload) = (keyMarker, uploadIdMarker);
            var response = await _runner.RunAsync(
                "ListMultipartUploads",
                Target(bucket, prefix),
                ct => _client.ListMultipartUploadsAsync(
                    new ListMultipartUploadsRequest { BucketName = bucket, Prefix = prefix, KeyMarker = key, UploadIdMarker = upload },
                    ct),
                cancellationToken).ConfigureAwait(false);
            foreach (var item in response.MultipartUploads ?? [])
            {
                yield return new MultipartUpload(bucket, item.Key, item.UploadId, ToOffset(item.Initiated));
            }

            if (response.IsTruncated != true)
            {
                yield break;
            }

            keyMarker = response.NextKeyMarker;
            uploadIdMarker = response.NextUploadIdMarker;
        }
    }

    private async IAsyncEnumerable<ObjectSummary> ListCurrentAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var continuation = token;
            var response = await _runner.RunAsync(
                "ListObjectsV2",
                Target(bucket, prefix),
                ct => _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, ContinuationToken = continuation }, ct),
                cancellationToken).ConfigureAwait(false);
            foreach (var item in response.S3Objects ?? [])
            {
                yield return ToSummary(item);
            }

            token = response.IsTruncated == true ? response.NextContinuationToken : null;
        }
        while (!string.IsNullOrEmpty(token));
    }

    private async IAsyncEnumerable<ObjectSummary> ListLatestVersionsAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in VersionsAsync(bucket, prefix, cancellationToken).ConfigureAwait(false))
        {
            if (item.IsLatest == true && item.IsDeleteMarker != true)
            {
                yield return ToSummary(item) with { VersionId = NullIfEmpty(item.VersionId) };
            }
        }
    }

    /// <summary>Every version and delete marker below <paramref name="prefix"/>, page after page, as S3 lists them.</summary>
    private async IAsyncEnumerable<S3ObjectVersion> VersionsAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? keyMarker = null;
        string? versionMarker = null;
        while (true)
        {
            var (key, version) = (keyMarker, versionMarker);
            var response = await _runner.RunAsync(
                "ListObjectVersions",
                Target(bucket, prefix),
                ct => _client.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket, Prefix = prefix, KeyMarker = key, VersionIdMarker = version }, ct),
                cancellationToken).ConfigureAwait(false);
            foreach (var item in response.Versions ?? [])
            {
                yield return item;
            }

            if (response.IsTruncated != true)
            {
                yield break;
            }

            keyMarker = response.NextKeyMarker;
            versionMarker = response.NextVersionIdMarker;
        }
    }
}
