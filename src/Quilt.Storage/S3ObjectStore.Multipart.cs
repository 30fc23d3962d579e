using Amazon.S3;
using Amazon.S3.Model;
using Quilt.Core.Errors;

namespace Quilt.Storage;

/// <summary>Multipart uploads, shared by multipart copies and scratch hashing: part copies and aborts.</summary>
public sealed partial class S3ObjectStore
{
    /// <inheritdoc/>
    public Task AbortUploadAsync(MultipartUpload upload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return AbortMultipartUploadAsync(upload.Bucket, upload.Key, upload.UploadId, cancellationToken);
    }

    /// <summary>Aborts a multipart upload (rollback of an interrupted copy); an upload already gone is not an error.</summary>
    public async Task AbortMultipartUploadAsync(string bucket, string key, string uploadId, CancellationToken cancellationToken = default)
    {
        RequireBucket(bucket);
        await _runner.RunAsync(
            "AbortMultipartUpload",
            Target(bucket, key),
            async ct =>
            {
                try
                {
                    await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId }, ct).ConfigureAwait(false);
                }
                catch (AmazonS3Exception e) when (e.ErrorCode is "NoSuchUpload")
                {
                    // Already completed or aborted.
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Aborts an upload even when the caller was cancelled, within a bounded time; true when it is gone. A failure is
    /// left to the caller's journal (which still lists the upload) or to a lifecycle rule for incomplete uploads.
    /// </summary>
    private async Task<bool> AbortQuietlyAsync(string bucket, string key, string uploadId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await AbortMultipartUploadAsync(bucket, key, uploadId, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is QuiltException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Copies one byte range of <paramref name="source"/> (pinned by <paramref name="etag"/>) as a part of an upload.</summary>
    private Task<CopyPartResponse> UploadPartCopyAsync(
        ObjectLocation source, string? etag, string bucket, string key, string uploadId, int partNumber, (long Offset, long Length) part, CancellationToken cancellationToken) =>
        _runner.RunAsync(
            "UploadPartCopy",
            Target(source),
            ct => _client.CopyPartAsync(
                new CopyPartRequest
                {
                    SourceBucket = source.Bucket,
                    SourceKey = source.Key,
                    SourceVersionId = source.VersionId,
                    DestinationBucket = bucket,
                    DestinationKey = key,
                    UploadId = uploadId,
                    PartNumber = partNumber,
                    FirstByte = part.Offset,
                    LastByte = part.Offset + part.Length - 1,
                    ETagToMatch = etag is null ? null : [etag],
                },
                ct),
            cancellationToken);

    /// <summary>Runs <paramref name="partAction"/> for parts <paramref name="first"/> to <paramref name="count"/> - 1, at most <paramref name="parallelism"/> at once.</summary>
    private static Task ForEachPartAsync(int first, int count, int parallelism, Func<int, CancellationToken, ValueTask> partAction, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            Enumerable.Range(first, count - first),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            partAction);
}
