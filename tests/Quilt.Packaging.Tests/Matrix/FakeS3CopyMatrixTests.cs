using System.Globalization;
using Amazon.S3;
using Amazon.S3.Model;
using Quilt.Core.Hashing;
using Quilt.Packaging.Contracts;
using Quilt.Storage;
using Quilt.Storage.Tests.Fakes;
using Quilt.Testing;

namespace Quilt.Packaging.Tests.Matrix;

/// <summary>
/// Sends object requests to <see cref="FakeAwsS3Handler"/> and everything else (listings, bucket versioning, the
/// registry's <c>.quilt/</c> keys, the manifest and pointer writes) to moto, so that a whole package creation runs with
/// the fake answering the copy itself.
/// </summary>
internal sealed class FakeObjectsRouter(HttpMessageHandler moto, FakeAwsS3Handler fake) : HttpMessageHandler
{
    private static readonly HashSet<string> FakeOperations = new(StringComparer.Ordinal)
    {
        "HeadObject", "GetObject", "GetObjectAttributes", "CreateMultipartUpload", "UploadPartCopy", "CompleteMultipartUpload", "AbortMultipartUpload",
    };

    private readonly HttpMessageInvoker _moto = new(moto, disposeHandler: true);
    private readonly HttpMessageInvoker _fake = new(fake, disposeHandler: false);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var (_, key) = S3Wire.Target(request.RequestUri!);
        var toFake = key.Length > 0 && !key.StartsWith(".quilt/", StringComparison.Ordinal) && FakeOperations.Contains(S3Wire.Operation(request));
        return (toFake ? _fake : _moto).SendAsync(request, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _moto.Dispose();
            _fake.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>One copy-all creation over the six fake-served objects (2 multipart writers × 3 sizes), and what it left.</summary>
public sealed class FakeS3CopyMatrixFixture(MotoFixture moto) : IAsyncLifetime
{
    internal static readonly long[] Sizes = [8 * MatrixAxes.MiB, (8 * MatrixAxes.MiB) + 1, (16 * MatrixAxes.MiB) + 1];

    internal static readonly SourceWriter[] Writers = [SourceWriter.Multipart8MiB, SourceWriter.Multipart5MiB];

    private string _stateDirectory = "";

    internal FakeAwsS3Handler Fake { get; } = new();

    internal string SourceBucket { get; private set; } = "";

    internal string RegistryBucket { get; private set; } = "";

    internal Dictionary<string, string> ExpectedHashes { get; } = new(StringComparer.Ordinal);

    internal PackageCreateResult Result { get; private set; } = null!;

    internal IndependentManifest Manifest { get; private set; } = null!;

    internal PackageBrowseResult Browse { get; private set; } = null!;

    internal PackageVerifyResult Verify { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _stateDirectory = Directory.CreateTempSubdirectory("quilt-matrix-fake-state-").FullName;
        SourceBucket = await moto.Server.CreateBucketAsync(versioned: false, ct);
        RegistryBucket = await moto.Server.CreateBucketAsync(versioned: false, ct);
        using var raw = moto.Server.CreateRawClient();
        foreach (var size in Sizes)
        {
            foreach (var writer in Writers)
            {
                // The same bytes in the same parts in both places: moto lists them (with the same multipart ETag), the fake
                // serves them.
                var key = MatrixAxes.KeyOf(size, writer);
                var data = MatrixAxes.Content(size, writer);
                var parts = MatrixAxes.PartSizes(size, MatrixAxes.PartSize(writer)!.Value);
                ExpectedHashes[key] = MatrixAxes.ExpectedHash(data);
                await SeedMotoAsync(raw, key, data, parts, ct);
                Fake.Seed(SourceBucket, key, data, parts);
            }
        }

        using var store = moto.Server.CreateStore(o => o with { HttpHandlerWrapper = inner => new FakeObjectsRouter(inner, Fake) });
        var ops = new DirectQuiltOperations(new StoreProvider(new LocalObjectStore(), () => store), new PackagingOptions { StateDirectory = _stateDirectory });
        const string name = "matrix/fake-copy-all";
        Result = await ops.CreateFromS3Async(
            new CreateFromS3Request { Source = StorageLocation.Parse($"s3://{SourceBucket}/"), PackageName = name, TargetRegistry = StorageLocation.Parse($"s3://{RegistryBucket}"), Copy = CopyMode.All, Message = "fake" },
            cancellationToken: ct);
        using (var response = await raw.GetObjectAsync(RegistryBucket, ".quilt/packages/" + Result.TopHash, ct))
        using (var reader = new StreamReader(response.ResponseStream))
        {
            Manifest = IndependentManifest.Parse(await reader.ReadToEndAsync(ct));
        }

        Browse = await ops.BrowseAsync(name, StorageLocation.Parse($"s3://{RegistryBucket}"), cancellationToken: ct);
        Verify = await ops.VerifyAsync(name, StorageLocation.Parse($"s3://{RegistryBucket}"), cancellationToken: ct);
    }

    public ValueTask DisposeAsync()
    {
        Fake.Dispose();
        if (Directory.Exists(_stateDirectory))
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    private async Task SeedMotoAsync(AmazonS3Client raw, string key, byte[] data, IReadOnlyList<long> parts, CancellationToken ct)
    {
        var start = await raw.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = SourceBucket, Key = key, ChecksumAlgorithm = ChecksumAlgorithm.SHA256 }, ct);
        var tags = new List<PartETag>();
        long offset = 0;
        for (var i = 0; i < parts.Count; i++)
        {
            var part = await raw.UploadPartAsync(
                new UploadPartRequest
                {
                    BucketName = SourceBucket,
                    Key = key,
                    UploadId = start.UploadId,
                    PartNumber = i + 1,
                    InputStream = new MemoryStream(data, (int)offset, (int)parts[i], writable: false),
                    ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
                },
                ct);
            tags.Add(new PartETag { PartNumber = i + 1, ETag = part.ETag, ChecksumSHA256 = part.ChecksumSHA256 });
            offset += parts[i];
        }

        await raw.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = SourceBucket, Key = key, UploadId = start.UploadId, PartETags = tags }, ct);
    }
}

/// <summary>
/// The multipart writers × copy all × sizes {8 MiB, 8 MiB+1, 16 MiB+1} (6 cells) against the in-process
/// <see cref="FakeAwsS3Handler"/> instead of moto. The fake is used because moto 5.2.1 cannot show the AWS behaviour these
/// copies rely on: UploadPartCopy returns no part checksum (x-amz-checksum-sha256 in CopyPartResult),
/// CompleteMultipartUpload returns no composite checksum, x-amz-copy-source-if-match is not honoured, HEAD of a multipart
/// SHA-256 object carries no checksum type (and no -N suffix), and CRC64NVME is not computed on copy. With moto the
/// store must re-read every copied byte (ranged GETs); here the hash must come from the copy's own checksums
/// (step copy_checksum) and still equal the bytes. The fake does not model CRC64NVME either; the store asks for SHA-256.
/// Listings, bucket versioning and the registry's <c>.quilt/</c> writes still go to moto (<see cref="FakeObjectsRouter"/>),
/// so the registry is unversioned: the fake keeps no versions.
/// </summary>
public sealed class FakeS3CopyMatrixTests(FakeS3CopyMatrixFixture fixture) : IClassFixture<FakeS3CopyMatrixFixture>
{
    public static IEnumerable<TheoryDataRow<long, SourceWriter>> Cells()
    {
        var index = 0;
        var count = FakeS3CopyMatrixFixture.Sizes.Length * FakeS3CopyMatrixFixture.Writers.Length;
        foreach (var size in FakeS3CopyMatrixFixture.Sizes)
        {
            foreach (var writer in FakeS3CopyMatrixFixture.Writers)
            {
                index++;
                yield return new TheoryDataRow<long, SourceWriter>(size, writer)
                {
                    TestDisplayName = string.Create(
                        CultureInfo.InvariantCulture,
                        $"Matrix fake-S3 cell {index} of {count} cells: copy=All size={MatrixAxes.Describe(size)} ({size}) writer={writer}"),
                };
            }
        }
    }

    [Fact]
    public void CreateFromS3_FakeCopies_AllHashedFromCopyChecksumsWithIfMatchAndValid()
    {
        fixture.Result.ObjectsCopied.ShouldBe(6);
        fixture.Result.HashesByStep.ShouldBe(new Dictionary<string, long> { ["copy_checksum"] = 6 });
        fixture.Verify.IsValid.ShouldBeTrue(string.Join(" | ", fixture.Verify.Problems));
        fixture.Manifest.ComputeTopHash().ShouldBe(fixture.Result.TopHash);
        var partCopies = fixture.Fake.Requests("UploadPartCopy");
        partCopies.Count.ShouldBe(FakeS3CopyMatrixFixture.Sizes.Sum(ChunkLayout.PartCount) * FakeS3CopyMatrixFixture.Writers.Length);
        partCopies.ShouldAllBe(r => r.Headers.Contains("x-amz-copy-source-if-match"));
        fixture.Fake.OpenUploads.ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void CreateFromS3_FakeCell_CopyHashMatchesBytesAndLayout(long size, SourceWriter writer)
    {
        var key = MatrixAxes.KeyOf(size, writer);
        var expected = fixture.ExpectedHashes[key];
        var failures = new List<string>();
        void Expect(bool condition, string what)
        {
            if (!condition)
            {
                failures.Add(what);
            }
        }

        var entry = fixture.Manifest.Entries.SingleOrDefault(e => e.LogicalKey == key);
        entry.ShouldNotBeNull($"no manifest entry for {key}");
        Expect(entry.Size == size, $"manifest size {entry.Size}");
        Expect(entry.HashType == QuiltHashTypes.Sha256Chunked && entry.HashValue == expected, $"manifest hash {entry.HashType} {entry.HashValue}, expected {expected}");

        var physical = RawPhysicalKey.Parse(entry.PhysicalKey);
        Expect(physical.Bucket == fixture.RegistryBucket, $"bucket {physical.Bucket}, expected the registry");
        Expect(physical.Key == $"{fixture.Result.PackageName}/{key}", $"key {physical.Key}");
        Expect(physical.VersionId is null, $"version {physical.VersionId} in an unversioned registry");

        // The copy as the fake stores it: its bytes (read from the fake itself, the only place they exist), its parts.
        var copy = fixture.Fake.Object(physical.Bucket, physical.Key);
        Expect(copy is not null, "the fake holds no object at the physical key");
        if (copy is not null)
        {
            Expect(copy.Data.LongLength == size, $"copied {copy.Data.LongLength} bytes");
            Expect(ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, copy.Data).Value == entry.HashValue, "the copied bytes hash differently from the manifest");
            Expect(copy.PartSizes is not null && ChunkLayout.MatchesLayout(size, copy.PartSizes), $"copy parts {string.Join(",", copy.PartSizes ?? [])} are not the quilt chunks");
            Expect(copy.Checksum == $"{entry.HashValue}-{ChunkLayout.PartCount(size)}", $"copy composite checksum {copy.Checksum}");
        }

        var browsed = fixture.Browse.Entries.SingleOrDefault(e => e.LogicalKey == key);
        Expect(browsed is not null && browsed.Size == size && browsed.HashValue == entry.HashValue && browsed.PhysicalKey == entry.PhysicalKey, "browse entry differs");
        Expect(!fixture.Verify.Problems.Any(p => p.StartsWith(key + ":", StringComparison.Ordinal)), "verify reports this entry");
        Expect(fixture.Manifest.ComputeTopHash() == fixture.Result.TopHash, "independent top hash differs");

        failures.ShouldBeEmpty($"fake cell copy=All size={size} writer={writer}, physical key {entry.PhysicalKey}");
    }
}
