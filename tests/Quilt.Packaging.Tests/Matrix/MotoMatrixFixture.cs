using System.Collections.Concurrent;
using System.Diagnostics;
using Amazon.S3;
using Amazon.S3.Model;
using Quilt.Core.Hashing;
using Quilt.Packaging.Contracts;
using Quilt.Storage;
using Quilt.Testing;

namespace Quilt.Packaging.Tests.Matrix;

/// <summary>A seeded source object: its coordinates, what the generator wrote, and what S3 said about it after.</summary>
internal sealed record SeededObject(
    string Key,
    long Size,
    SourceWriter Writer,
    string ExpectedHash,
    string? VersionId,
    string ETag,
    string? HeadSha256,
    string? HeadCrc32,
    string? HeadChecksumType,
    string HowWritten);

/// <summary>What one entry's physical key gave when downloaded with a bare SDK client.</summary>
internal sealed record Download(long Length, string? Hash, string? Error);

/// <summary>One package creation (registry kind × copy mode) over all 40 source objects, and everything read back.</summary>
internal sealed record MatrixCreation(
    RegistryKind Registry,
    CopyMode Copy,
    string RegistryBucket,
    PackageCreateResult Result,
    string ManifestText,
    IndependentManifest Manifest,
    string RecomputedTopHash,
    PackageBrowseResult Browse,
    PackageVerifyResult Verify,
    IReadOnlyDictionary<string, Download> Downloads,
    IReadOnlyDictionary<string, string?> CurrentVersions,
    int NullVersionHeadsRewritten,
    TimeSpan CreateTime,
    TimeSpan CheckTime);

/// <summary>
/// Seeds the 40 source objects (10 sizes × 4 writers) once into one versioned source bucket, makes the three registry
/// buckets, and runs each of the 6 creations on first use, so that the 240 cells share 6 creations.
/// </summary>
public sealed class MotoMatrixFixture(MotoFixture moto) : IAsyncLifetime
{
    private readonly ConcurrentDictionary<(RegistryKind, CopyMode), Lazy<Task<MatrixCreation>>> _creations = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<Download>>> _downloads = new(StringComparer.Ordinal);
    private readonly Dictionary<RegistryKind, string> _registries = [];
    private readonly Dictionary<string, SeededObject> _objects = new(StringComparer.Ordinal);
    private string _stateDirectory = "";
    private AmazonS3Client? _raw;
    private S3ObjectStore? _store;
    private MotoNullVersionHeadShim? _shim;

    internal string SourceBucket { get; private set; } = "";

    internal IReadOnlyDictionary<string, SeededObject> Objects => _objects;

    internal TimeSpan SeedTime { get; private set; }

    internal AmazonS3Client Raw => _raw ?? throw new InvalidOperationException("Not initialized.");

    internal string RegistryBucket(RegistryKind kind) => _registries[kind];

    /// <summary>How many HEADs with <c>versionId=null</c> the moto shim rewrote so far.</summary>
    internal int NullVersionHeadsRewritten => _shim?.Rewritten ?? 0;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = Stopwatch.StartNew();
        _stateDirectory = Directory.CreateTempSubdirectory("quilt-matrix-state-").FullName;
        _raw = moto.Server.CreateRawClient();
        _store = moto.Server.CreateStore(o => o with { HttpHandlerWrapper = inner => _shim = new MotoNullVersionHeadShim(inner) });
        SourceBucket = await moto.Server.CreateBucketAsync(versioned: true, ct);
        foreach (var kind in MatrixAxes.Registries)
        {
            var bucket = await moto.Server.CreateBucketAsync(versioned: kind != RegistryKind.Unversioned, ct);
            if (kind == RegistryKind.Suspended)
            {
                await _raw.PutBucketVersioningAsync(
                    new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Suspended } },
                    ct);
            }

            _registries[kind] = bucket;
        }

        var cells = MatrixAxes.Sizes.SelectMany(size => MatrixAxes.Writers.Select(writer => (size, writer))).ToList();
        var seeded = new ConcurrentBag<SeededObject>();
        await Parallel.ForEachAsync(cells, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (cell, token) =>
            seeded.Add(await SeedAsync(cell.size, cell.writer, token)));
        foreach (var o in seeded)
        {
            _objects[o.Key] = o;
        }

        SeedTime = clock.Elapsed;
    }

    public ValueTask DisposeAsync()
    {
        _raw?.Dispose();
        _store?.Dispose();
        if (Directory.Exists(_stateDirectory))
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The creation for (registry, copy), run once and shared by its 40 cells.</summary>
    internal Task<MatrixCreation> CreationAsync(RegistryKind registry, CopyMode copy) =>
        _creations.GetOrAdd((registry, copy), key => new Lazy<Task<MatrixCreation>>(() => CreateAsync(key.Item1, key.Item2))).Value;

    private async Task<SeededObject> SeedAsync(long size, SourceWriter writer, CancellationToken ct)
    {
        var key = MatrixAxes.KeyOf(size, writer);
        var data = MatrixAxes.Content(size, writer);
        var expected = MatrixAxes.ExpectedHash(data);
        string? versionId;
        string how;
        if (MatrixAxes.PartSize(writer) is not { } partSize)
        {
            var put = new PutObjectRequest { BucketName = SourceBucket, Key = key, InputStream = new MemoryStream(data), ContentType = "application/octet-stream" };
            if (writer == SourceWriter.PutSha256)
            {
                put.ChecksumAlgorithm = ChecksumAlgorithm.SHA256;
            }

            versionId = (await Raw.PutObjectAsync(put, ct)).VersionId;
            how = writer == SourceWriter.PutSha256 ? "PutObject with ChecksumAlgorithm SHA256" : "PutObject with the SDK default checksum";
        }
        else
        {
            var start = await Raw.InitiateMultipartUploadAsync(
                new InitiateMultipartUploadRequest { BucketName = SourceBucket, Key = key, ChecksumAlgorithm = ChecksumAlgorithm.SHA256, ContentType = "application/octet-stream" }, ct);
            var tags = new List<PartETag>();
            long offset = 0;
            var partSizes = MatrixAxes.PartSizes(size, partSize);
            for (var i = 0; i < partSizes.Count; i++)
            {
                var part = await Raw.UploadPartAsync(
                    new UploadPartRequest
                    {
                        BucketName = SourceBucket,
                        Key = key,
                        UploadId = start.UploadId,
                        PartNumber = i + 1,
                        InputStream = new MemoryStream(data, (int)offset, (int)partSizes[i], writable: false),
                        ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
                    },
                    ct);
                tags.Add(new PartETag { PartNumber = i + 1, ETag = part.ETag, ChecksumSHA256 = part.ChecksumSHA256 });
                offset += partSizes[i];
            }

            var done = await Raw.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = SourceBucket, Key = key, UploadId = start.UploadId, PartETags = tags }, ct);
            versionId = done.VersionId;
            how = size == 0
                ? "multipart upload of one empty part with SHA256 part checksum"
                : $"multipart upload with SHA256 part checksums in {partSizes.Count} part(s) of up to {partSize / MatrixAxes.MiB} MiB";
        }

        var head = await Raw.GetObjectMetadataAsync(
            new GetObjectMetadataRequest { BucketName = SourceBucket, Key = key, VersionId = versionId, ChecksumMode = ChecksumMode.ENABLED }, ct);
        return new SeededObject(
            key, size, writer, expected, versionId, head.ETag, NullIfEmpty(head.ChecksumSHA256), NullIfEmpty(head.ChecksumCRC32), NullIfEmpty(head.ChecksumType?.Value), how);
    }

    private async Task<MatrixCreation> CreateAsync(RegistryKind registry, CopyMode copy)
    {
        var ct = TestContext.Current.CancellationToken;
        var bucket = _registries[registry];
        var ops = new DirectQuiltOperations(
            new StoreProvider(new LocalObjectStore(), () => _store!),
            new PackagingOptions { StateDirectory = _stateDirectory });
        var name = $"matrix/{registry.ToString().ToLowerInvariant()}-{copy.ToString().ToLowerInvariant()}";
        var clock = Stopwatch.StartNew();

        // A message per creation: the in-place and the copying package over the same bytes would otherwise have the same
        // top hash in the same registry, and the second run finds the first one's manifest (with the first one's physical
        // keys) already there and keeps it.
        var result = await ops.CreateFromS3Async(
            new CreateFromS3Request { Source = StorageLocation.Parse($"s3://{SourceBucket}/"), PackageName = name, TargetRegistry = StorageLocation.Parse($"s3://{bucket}"), Copy = copy, Message = $"matrix {registry} {copy}" },
            cancellationToken: ct);
        var createTime = clock.Elapsed;
        clock.Restart();

        // The manifest as stored, read with the bare client and parsed without Quilt.Core.
        string text;
        using (var response = await Raw.GetObjectAsync(bucket, ".quilt/packages/" + result.TopHash, ct))
        using (var reader = new StreamReader(response.ResponseStream))
        {
            text = await reader.ReadToEndAsync(ct);
        }

        var manifest = IndependentManifest.Parse(text);
        var browse = await ops.BrowseAsync(name, StorageLocation.Parse($"s3://{bucket}"), cancellationToken: ct);
        var verify = await ops.VerifyAsync(name, StorageLocation.Parse($"s3://{bucket}"), cancellationToken: ct);

        var downloads = new ConcurrentDictionary<string, Download>(StringComparer.Ordinal);
        var current = new ConcurrentDictionary<string, string?>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(manifest.Entries, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (entry, token) =>
        {
            downloads[entry.LogicalKey] = await _downloads.GetOrAdd(entry.PhysicalKey, key => new Lazy<Task<Download>>(() => DownloadAsync(key, token))).Value;
            current[entry.LogicalKey] = await CurrentVersionAsync(entry.PhysicalKey, token);
        });

        return new MatrixCreation(
            registry, copy, bucket, result, text, manifest, manifest.ComputeTopHash(), browse, verify, downloads, current, NullVersionHeadsRewritten, createTime, clock.Elapsed);
    }

    /// <summary>GETs the exact object the physical key names (version included) and hashes it with the Core hasher.</summary>
    private async Task<Download> DownloadAsync(string physicalKey, CancellationToken ct)
    {
        try
        {
            var key = RawPhysicalKey.Parse(physicalKey);
            using var response = await Raw.GetObjectAsync(new GetObjectRequest { BucketName = key.Bucket, Key = key.Key, VersionId = key.VersionId }, ct);
            var length = response.ContentLength;
            var hash = await ObjectHasher.ComputeAsync(QuiltHashTypes.Sha256Chunked, response.ResponseStream, length, ct);
            return new Download(length, hash.Value, null);
        }
        catch (Exception e) when (e is AmazonS3Exception or FormatException or Quilt.Core.Errors.QuiltException)
        {
            return new Download(-1, null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The version id S3 reports for the key's current object (to compare with the pinned one).</summary>
    private async Task<string?> CurrentVersionAsync(string physicalKey, CancellationToken ct)
    {
        try
        {
            var key = RawPhysicalKey.Parse(physicalKey);
            var head = await Raw.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = key.Bucket, Key = key.Key }, ct);
            return NullIfEmpty(head.VersionId);
        }
        catch (Exception e) when (e is AmazonS3Exception or FormatException)
        {
            return "(HEAD failed: " + e.Message + ")";
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
