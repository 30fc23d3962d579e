using Amazon.S3;
using Amazon.S3.Model;
using Quilt.Core.Errors;
using Quilt.Core.Hashing;
using static Quilt.Storage.Internal.S3Mapping;

namespace Quilt.Storage;

/// <summary>Server-side copies: CopyObject below the multipart threshold, UploadPartCopy in quilt chunks above it.</summary>
public sealed partial class S3ObjectStore
{
    /// <summary>S3 refuses CopyObject above 5 GiB.</summary>
    private const long MaxSingleCopySize = 5L * 1024 * 1024 * 1024;

    /// <inheritdoc/>
    public async Task<CopyResult> CopyAsync(ObjectLocation source, ObjectLocation destination, CopyOptions options, CancellationToken cancellationToken = default)
    {
        RequireLocation(source);
        RequireLocation(destination);
        ArgumentNullException.ThrowIfNull(options);
        var threshold = Math.Clamp(options.MultipartThreshold, 1, MaxSingleCopySize);

        if (options.KnownSize is { } known && known < threshold)
        {
            return await CopyObjectAsync(source, destination, known, options.IfMatchETag, cancellationToken).ConfigureAwait(false);
        }

        options.StopIssuing.ThrowIfCancellationRequested();

        // A HEAD gives the size, pins the version and ETag (so that every part reads the same bytes), and carries the
        // content type and metadata that a multipart upload must be given explicitly.
        GetObjectMetadataResponse head;
        using (var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, options.StopIssuing))
        {
            head = await HeadRawAsync(source, reading.Token).ConfigureAwait(false);
        }

        var pinned = source with { VersionId = NullIfEmpty(head.VersionId) ?? source.VersionId };
        var etag = options.IfMatchETag ?? NullIfEmpty(head.ETag);
        if (options.IfMatchETag is not null && head.ETag is not null && !string.Equals(options.IfMatchETag, head.ETag, StringComparison.Ordinal))
        {
            throw QuiltException.Conflict(
                $"{Target(source)} changed since it was listed (ETag {head.ETag}, expected {options.IfMatchETag}).",
                "Run the operation again so that it copies the current version.");
        }

        return head.ContentLength < threshold
            ? await CopyObjectAsync(pinned, destination, head.ContentLength, etag, cancellationToken).ConfigureAwait(false)
            : await CopyMultipartAsync(pinned, destination, head, etag, options, cancellationToken).ConfigureAwait(false);
    }

    private async Task<CopyResult> CopyObjectAsync(ObjectLocation source, ObjectLocation destination, long size, string? etag, CancellationToken cancellationToken)
    {
        var response = await _runner.RunAsync(
            "CopyObject",
            Target(destination),
            ct => _client.CopyObjectAsync(
                new CopyObjectRequest
                {
                    SourceBucket = source.Bucket,
                    SourceKey = source.Key,
                    SourceVersionId = source.VersionId,
                    DestinationBucket = destination.Bucket,
                    DestinationKey = destination.Key,
                    ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
                    MetadataDirective = S3MetadataDirective.COPY,
                    ETagToMatch = etag,
                },
                ct),
            cancellationToken).ConfigureAwait(false);
        var hash = string.IsNullOrEmpty(response.ChecksumSHA256)
            ? null
            : S3ChecksumConverter.FromS3Checksum(response.ChecksumSHA256, NullIfEmpty(response.ChecksumType?.Value), size, null);
        var version = await WrittenVersionAsync(destination.Bucket, response.VersionId, CancellationToken.None).ConfigureAwait(false);
        return new CopyResult(destination with { VersionId = version }, size, hash, NullIfEmpty(response.ETag));
    }

    private async Task<CopyResult> CopyMultipartAsync(
        ObjectLocation source, ObjectLocation destination, GetObjectMetadataResponse head, string? etag, CopyOptions options, CancellationToken cancellationToken)
    {
        var size = head.ContentLength;
        var start = new InitiateMultipartUploadRequest
        {
            BucketName = destination.Bucket,
            Key = destination.Key,
            ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
        };
        start.Headers.ContentType = NullIfEmpty(head.Headers.ContentType);
        start.Headers.ContentEncoding = NullIfEmpty(head.Headers.ContentEncoding);
        start.Headers.ContentDisposition = NullIfEmpty(head.Headers.ContentDisposition);
        start.Headers.CacheControl = NullIfEmpty(head.Headers.CacheControl);
        foreach (var name in head.Metadata.Keys)
        {
            // Raw values as S3 returned them (RFC 2047 words stay encoded), so the copy stores the same bytes.
            start.Metadata.Add(name, head.Metadata[name]);
        }

        var created = await _runner.RunAsync(
            "CreateMultipartUpload",
            Target(destination),
            ct => _client.InitiateMultipartUploadAsync(start, ct),
            cancellationToken).ConfigureAwait(false);
        var uploadId = created.UploadId;
        var upload = new MultipartUpload(destination.Bucket, destination.Key, uploadId, null);
        options.Uploads?.UploadStarted(upload);
        var completed = false;
        try
        {
            var parts = ChunkLayout.Parts(size).ToArray();
            var results = new CopyPartResponse[parts.Length];
            using (var copying = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, options.StopIssuing))
            {
                await ForEachPartAsync(
                    0,
                    parts.Length,
                    Options.MaxConcurrency,
                    async (i, ct) => results[i] = await UploadPartCopyAsync(source, etag, destination.Bucket, destination.Key, uploadId, i + 1, parts[i], ct).ConfigureAwait(false),
                    copying.Token).ConfigureAwait(false);
            }

            options.StopIssuing.ThrowIfCancellationRequested();

            var partTags = results.Select((r, i) => new PartETag
            {
                PartNumber = i + 1,
                ETag = r.ETag,
                ChecksumSHA256 = NullIfEmpty(r.ChecksumSHA256),
            }).ToList();
            var response = await _runner.RunAsync(
                "CompleteMultipartUpload",
                Target(destination),
                ct => _client.CompleteMultipartUploadAsync(
                    new CompleteMultipartUploadRequest { BucketName = destination.Bucket, Key = destination.Key, UploadId = uploadId, PartETags = partTags },
                    ct),
                cancellationToken).ConfigureAwait(false);
            completed = true;
            options.Uploads?.UploadEnded(upload);

            var hash = HashFromMultipart(response.ChecksumSHA256, size, parts, partTags);
            var version = await WrittenVersionAsync(destination.Bucket, response.VersionId, CancellationToken.None).ConfigureAwait(false);
            return new CopyResult(destination with { VersionId = version }, size, hash, NullIfEmpty(response.ETag));
        }
        finally
        {
            if (!completed && await AbortQuietlyAsync(destination.Bucket, destination.Key, uploadId).ConfigureAwait(false))
            {
                options.Uploads?.UploadEnded(upload);
            }
        }
    }

    private static QuiltHash? HashFromMultipart(string? completeChecksum, long size, (long Offset, long Length)[] parts, List<PartETag> partTags)
    {
        if (!string.IsNullOrEmpty(completeChecksum))
        {
            var converted = completeChecksum.Contains('-', StringComparison.Ordinal)
                ? S3ChecksumConverter.FromCompositeSha256(completeChecksum, size, [.. parts.Select(p => p.Length)])
                : null;
            if (converted is not null)
            {
                return converted;
            }
        }

        // The parts are the quilt chunks, so their checksums combine to the quilt hash even when Complete reports none.
        return parts.Length > 0 && partTags.All(p => !string.IsNullOrEmpty(p.ChecksumSHA256))
            ? Sha256Chunked.CombinePartChecksums(partTags.Select(p => p.ChecksumSHA256!))
            : null;
    }
}
