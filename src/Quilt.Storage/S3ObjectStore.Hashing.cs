using System.Buffers;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Quilt.Core.Errors;
using Quilt.Core.Hashing;
using Quilt.Storage.Internal;
using static Quilt.Storage.Internal.S3Mapping;

namespace Quilt.Storage;

/// <summary>The hash-and-metadata ladder (DESIGN.md §3 step 3) for objects kept in place.</summary>
public sealed partial class S3ObjectStore
{
    private const int ReadBufferSize = 128 * 1024;

    private int _objectAttributesUnsupported;
    private int _scratchCopyUnsupported;

    /// <summary>
    /// True once the server has shown that <c>GetObjectAttributes</c> does not report part sizes (so composite
    /// checksums cannot be checked against the quilt chunk layout); it is not asked again by this store.
    /// </summary>
    public bool ObjectAttributesUnsupported => Volatile.Read(ref _objectAttributesUnsupported) != 0;

    /// <summary>
    /// True once a scratch multipart upload has shown that it yields no part checksums (or the scratch bucket cannot be
    /// used); ladder step (d) is then skipped for the rest of this store's life.
    /// </summary>
    public bool ScratchCopyUnsupported => Volatile.Read(ref _scratchCopyUnsupported) != 0;

    /// <inheritdoc/>
    public async Task<ObjectHashResult> HashAsync(ObjectLocation location, HashingOptions options, CancellationToken cancellationToken = default)
    {
        RequireLocation(location);
        ArgumentNullException.ThrowIfNull(options);

        // (a) Known to be small: one GET gives metadata and bytes.
        if (options.KnownSize is { } known && known < options.SmallObjectThreshold)
        {
            return await HashWithOneGetAsync(location, cancellationToken).ConfigureAwait(false);
        }

        // (b) One HEAD: metadata and any stored checksum.
        var metadata = await HeadAsync(location, cancellationToken).ConfigureAwait(false);
        var stored = await TryStoredChecksumAsync(metadata, cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            return new ObjectHashResult(stored, HashStep.StoredChecksum, metadata);
        }

        // The listing did not tell the size, and the object turned out small: one GET is cheapest.
        if (metadata.Size < options.SmallObjectThreshold || metadata.Size == 0)
        {
            return await HashWithOneGetAsync(metadata.Location, cancellationToken).ConfigureAwait(false);
        }

        var etag = metadata.ETag ?? options.KnownETag;

        // (d) Scratch multipart upload: the server computes part checksums, no bytes move, nothing is stored.
        if (options.ScratchBucket is { Length: > 0 } scratch && !ScratchCopyUnsupported)
        {
            var scratchHash = await TryScratchCopyHashAsync(metadata, etag, scratch, options.ScratchPrefix, options.Uploads, cancellationToken).ConfigureAwait(false);
            if (scratchHash is not null)
            {
                return new ObjectHashResult(scratchHash, HashStep.ScratchMultipartCopy, metadata);
            }
        }

        // (e) Ranged GETs per chunk, hashed as they stream.
        var hash = await HashWithRangedGetsAsync(metadata.Location, metadata.Size, etag, cancellationToken).ConfigureAwait(false);
        return new ObjectHashResult(hash, HashStep.RangedGet, metadata);
    }

    private async Task<ObjectHashResult> HashWithOneGetAsync(ObjectLocation location, CancellationToken cancellationToken) =>
        await _runner.RunAsync(
            "GetObject",
            Target(location),
            async ct =>
            {
                using var response = await _client.GetObjectAsync(
                    S3Requests.Get(location, checksums: true),
                    ct).ConfigureAwait(false);
                using var hasher = ObjectHasher.Create(QuiltHashTypes.Sha256Chunked, response.ContentLength);
                var read = await DrainAsync(response.ResponseStream, hasher.Append, ct).ConfigureAwait(false);
                if (read != response.ContentLength)
                {
                    throw new IOException($"The response ended after {read} of {response.ContentLength} bytes.");
                }

                return new ObjectHashResult(hasher.Finish(), HashStep.SmallObjectGet, ToMetadata(location, response));
            },
            cancellationToken).ConfigureAwait(false);

    private async Task<QuiltHash?> TryStoredChecksumAsync(ObjectMetadata metadata, CancellationToken cancellationToken)
    {
        var sha256 = metadata.Checksums.Sha256;
        if (sha256 is null)
        {
            return null;
        }

        var dash = sha256.LastIndexOf('-');
        var type = metadata.Checksums.ChecksumType;
        var composite = dash > 0 || string.Equals(type, S3ChecksumConverter.Composite, StringComparison.Ordinal);
        if (!composite)
        {
            // A value without a -N suffix or a checksum type on an object whose ETag says it was uploaded in parts is not
            // provably a full-object checksum (moto and other S3-compatible servers answer so with the composite value).
            if (type is null && S3ETag.IsMultipart(metadata.ETag))
            {
                return null;
            }

            return S3ChecksumConverter.FromS3Checksum(sha256, type, metadata.Size, null);
        }

        // A composite checksum equals the quilt hash only when the parts are exactly the quilt chunks.
        if (dash < 0
            || !int.TryParse(sha256.AsSpan(dash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parts)
            || parts != ChunkLayout.PartCount(metadata.Size)
            || ObjectAttributesUnsupported)
        {
            return null;
        }

        var partSizes = await TryGetPartSizesAsync(metadata.Location, cancellationToken).ConfigureAwait(false);
        return partSizes is null ? null : S3ChecksumConverter.FromCompositeSha256(sha256, metadata.Size, partSizes);
    }

    private async Task<IReadOnlyList<long>?> TryGetPartSizesAsync(ObjectLocation location, CancellationToken cancellationToken)
    {
        GetObjectAttributesResponse response;
        try
        {
            response = await _runner.RunAsync(
                "GetObjectAttributes",
                Target(location),
                ct => _client.GetObjectAttributesAsync(
                    new GetObjectAttributesRequest
                    {
                        BucketName = location.Bucket,
                        Key = location.Key,
                        VersionId = location.VersionId,
                        ObjectAttributes = [ObjectAttributes.ObjectParts, ObjectAttributes.ObjectSize],
                        MaxParts = 10_000,
                    },
                    ct),
                cancellationToken).ConfigureAwait(false);
        }
        catch (QuiltException e) when (e.Kind is QuiltErrorKind.Unsupported or QuiltErrorKind.InvalidInput)
        {
            Volatile.Write(ref _objectAttributesUnsupported, 1);
            return null;
        }

        var objectParts = response.ObjectParts;
        if (objectParts?.Parts is not { Count: > 0 } list)
        {
            // The server answers but does not list parts: it cannot prove the layout, now or later.
            Volatile.Write(ref _objectAttributesUnsupported, 1);
            return null;
        }

        if (objectParts.IsTruncated == true || (objectParts.TotalPartsCount is { } total && total != list.Count))
        {
            return null;
        }

        return [.. list.OrderBy(p => p.PartNumber ?? 0).Select(p => p.Size ?? -1)];
    }

    private async Task<QuiltHash?> TryScratchCopyHashAsync(ObjectMetadata metadata, string? etag, string scratchBucket, string scratchPrefix, IUploadObserver? uploads, CancellationToken cancellationToken)
    {
        var source = metadata.Location;
        var scratchKey = scratchPrefix + Guid.NewGuid().ToString("N");
        string uploadId;
        try
        {
            // Not cut once sent: a creation cancelled in flight may still open an upload whose id nobody would know,
            // so nothing could abort it. Cancellation is observed before sending and right after.
            cancellationToken.ThrowIfCancellationRequested();
            var created = await _runner.RunAsync(
                "CreateMultipartUpload",
                Target(scratchBucket, scratchKey),
                ct => _client.InitiateMultipartUploadAsync(
                    new InitiateMultipartUploadRequest { BucketName = scratchBucket, Key = scratchKey, ChecksumAlgorithm = ChecksumAlgorithm.SHA256 },
                    ct),
                CancellationToken.None).ConfigureAwait(false);
            uploadId = created.UploadId;
        }
        catch (QuiltException e) when (e.Kind is QuiltErrorKind.AccessDenied or QuiltErrorKind.NotFound or QuiltErrorKind.Unsupported)
        {
            // The scratch bucket cannot be used in this run: fall back to reading.
            Volatile.Write(ref _scratchCopyUnsupported, 1);
            return null;
        }

        var upload = new MultipartUpload(scratchBucket, scratchKey, uploadId, null);
        uploads?.UploadStarted(upload);
        try
        {
            var parts = ChunkLayout.Parts(metadata.Size).ToArray();
            var checksums = new string?[parts.Length];

            // The first part doubles as a probe: a server that returns no checksum for it returns none for the rest.
            checksums[0] = await CopyPartChecksumAsync(source, etag, scratchBucket, scratchKey, uploadId, 1, parts[0], cancellationToken).ConfigureAwait(false);
            if (checksums[0] is null)
            {
                Volatile.Write(ref _scratchCopyUnsupported, 1);
                return null;
            }

            await ForEachPartAsync(
                1,
                parts.Length,
                Options.MaxConcurrency,
                async (i, ct) => checksums[i] = await CopyPartChecksumAsync(source, etag, scratchBucket, scratchKey, uploadId, i + 1, parts[i], ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            if (checksums.Any(c => c is null))
            {
                Volatile.Write(ref _scratchCopyUnsupported, 1);
                return null;
            }

            return Sha256Chunked.CombinePartChecksums(checksums!);
        }
        finally
        {
            if (await AbortQuietlyAsync(scratchBucket, scratchKey, uploadId).ConfigureAwait(false))
            {
                uploads?.UploadEnded(upload);
            }
        }
    }

    private async Task<string?> CopyPartChecksumAsync(
        ObjectLocation source, string? etag, string bucket, string key, string uploadId, int partNumber, (long Offset, long Length) part, CancellationToken cancellationToken)
    {
        var response = await UploadPartCopyAsync(source, etag, bucket, key, uploadId, partNumber, part, cancellationToken).ConfigureAwait(false);
        return string.IsNullOrEmpty(response.ChecksumSHA256) ? null : response.ChecksumSHA256;
    }

    private async Task<QuiltHash> HashWithRangedGetsAsync(ObjectLocation location, long size, string? etag, CancellationToken cancellationToken)
    {
        var parts = ChunkLayout.Parts(size).ToArray();
        var digests = new string[parts.Length];
        await ForEachPartAsync(
            0,
            parts.Length,
            Options.RangedGetConcurrency,
            async (i, ct) => digests[i] = await HashRangeAsync(location, parts[i], etag, ct).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        return Sha256Chunked.CombinePartChecksums(digests);
    }

    private Task<string> HashRangeAsync(ObjectLocation location, (long Offset, long Length) part, string? etag, CancellationToken cancellationToken) =>
        _runner.RunAsync(
            "GetObject",
            Target(location),
            async ct =>
            {
                using var response = await _client.GetObjectAsync(
                    S3Requests.Get(location, new ByteRange(part.Offset, part.Offset + part.Length - 1), etag),
                    ct).ConfigureAwait(false);
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var read = await DrainAsync(response.ResponseStream, sha.AppendData, ct).ConfigureAwait(false);
                if (read != part.Length)
                {
                    throw new IOException($"The ranged response ended after {read} of {part.Length} bytes.");
                }

                return Convert.ToBase64String(sha.GetHashAndReset());
            },
            cancellationToken);

    private delegate void SpanSink(ReadOnlySpan<byte> data);

    private static async Task<long> DrainAsync(Stream stream, SpanSink sink, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        try
        {
            long total = 0;
            int n;
            while ((n = await stream.ReadAsync(buffer.AsMemory(0, ReadBufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                sink(buffer.AsSpan(0, n));
                total += n;
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
