using Quilt.Core.Errors;
using Quilt.Core.Hashing;
using Quilt.Storage.Tests.Fakes;
using static Quilt.Storage.Tests.Fakes.TestData;

namespace Quilt.Storage.Tests;

/// <summary>
/// Ladder steps moto cannot show, against <see cref="FakeAwsS3Handler"/>, an in-process S3 answering as AWS documents:
/// composite checksums on HEAD with GetObjectAttributes part sizes (b), part checksums from UploadPartCopy and
/// CopySourceIfMatch (d), and the composite checksum of CompleteMultipartUpload (c).
/// </summary>
public sealed class S3ObjectStoreLadderTests : IDisposable
{
    private const string Bucket = "data";
    private const string Scratch = "scratch";
    private static readonly byte[] Vector18 = Repeat("1234567890abcdefgh", 1_048_576);
    private static readonly QuiltHash Vector18Hash = new(QuiltHashTypes.Sha256Chunked, "T+rt/HKRJOiAkEGXKvc+DhCwRcrZiDrFkjKonDT1zgs=");

    private readonly FakeAwsS3Handler _fake = new();
    private readonly S3ObjectStore _store;

    public S3ObjectStoreLadderTests()
    {
        _store = new S3ObjectStore(new S3StoreOptions
        {
            ServiceUrl = "http://fake-s3.test",
            AccessKeyId = "fake-access",
            SecretAccessKey = "fake-secret",
            HttpHandlerWrapper = _ => _fake,
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        });
    }

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task HashAsync_CompositeChecksumOnQuiltChunks_UsesItAfterCheckingPartSizes()
    {
        _fake.Seed(Bucket, "mpu", Vector18, partSizes: [8 * MiB, 8 * MiB, 2 * MiB]);

        var result = await _store.HashAsync(new ObjectLocation(Bucket, "mpu"), new HashingOptions { ScratchBucket = Scratch }, TestContext.Current.CancellationToken);

        result.Step.ShouldBe(HashStep.StoredChecksum);
        result.Hash.ShouldBe(Vector18Hash);
        result.Metadata.Checksums.Sha256.ShouldEndWith("-3");
        result.Metadata.Checksums.ChecksumType.ShouldBe("COMPOSITE");
        _fake.Operations.ShouldBe(["HeadObject", "GetObjectAttributes"]);
        _store.Requests.Total.ShouldBe(2);
    }

    [Fact]
    public async Task HashAsync_CompositeWithOtherPartCount_IsNotTrustedAndNeedsNoAttributes()
    {
        _fake.Seed(Bucket, "mpu5", Vector18, partSizes: [5 * MiB, 5 * MiB, 5 * MiB, 3 * MiB]);

        var result = await _store.HashAsync(new ObjectLocation(Bucket, "mpu5"), new HashingOptions(), TestContext.Current.CancellationToken);

        result.Step.ShouldBe(HashStep.RangedGet);
        result.Hash.ShouldBe(Vector18Hash);
        _fake.Operations.ShouldNotContain("GetObjectAttributes");
    }

    [Fact]
    public async Task HashAsync_CompositeWithSameCountButOtherSizes_IsRejectedByPartSizes()
    {
        // 10 + 6 + 2 MiB has three parts like the quilt layout 8 + 8 + 2, but a different composite value.
        _fake.Seed(Bucket, "mpu-odd", Vector18, partSizes: [10 * MiB, 6 * MiB, 2 * MiB]);

        var result = await _store.HashAsync(new ObjectLocation(Bucket, "mpu-odd"), new HashingOptions(), TestContext.Current.CancellationToken);

        result.Step.ShouldBe(HashStep.RangedGet);
        result.Hash.ShouldBe(Vector18Hash);
        _fake.Operations.Count(o => o == "GetObjectAttributes").ShouldBe(1);
        _store.ObjectAttributesUnsupported.ShouldBeFalse();
    }

    [Fact]
    public async Task HashAsync_ServerWithoutGetObjectAttributes_RemembersAndStopsAsking()
    {
        _fake.SupportsObjectAttributes = false;
        _fake.Seed(Bucket, "mpu-a", Vector18, partSizes: [8 * MiB, 8 * MiB, 2 * MiB]);
        _fake.Seed(Bucket, "mpu-b", Vector18, partSizes: [8 * MiB, 8 * MiB, 2 * MiB]);

        var first = await _store.HashAsync(new ObjectLocation(Bucket, "mpu-a"), new HashingOptions(), TestContext.Current.CancellationToken);
        var second = await _store.HashAsync(new ObjectLocation(Bucket, "mpu-b"), new HashingOptions(), TestContext.Current.CancellationToken);

        first.Hash.ShouldBe(Vector18Hash);
        second.Hash.ShouldBe(Vector18Hash);
        second.Step.ShouldBe(HashStep.RangedGet);
        _store.ObjectAttributesUnsupported.ShouldBeTrue();
        _fake.Operations.Count(o => o == "GetObjectAttributes").ShouldBe(1);
    }

    [Fact]
    public async Task HashAsync_ScratchMultipartCopy_CombinesPartChecksumsAndAbortsWithoutMovingBytes()
    {
        _fake.Seed(Bucket, "plain", Vector18, withChecksum: false);

        var result = await _store.HashAsync(new ObjectLocation(Bucket, "plain"), new HashingOptions { ScratchBucket = Scratch, KnownSize = Vector18.Length }, TestContext.Current.CancellationToken);

        result.Step.ShouldBe(HashStep.ScratchMultipartCopy);
        result.Hash.ShouldBe(Vector18Hash);
        _fake.Operations.Order().ShouldBe(["AbortMultipartUpload", "CreateMultipartUpload", "HeadObject", "UploadPartCopy", "UploadPartCopy", "UploadPartCopy"]);
        _fake.Operations.ShouldNotContain("GetObject");
        _fake.OpenUploads.ShouldBe(0);
        var etag = _fake.Object(Bucket, "plain")!.ETag;
        var create = _fake.Requests("CreateMultipartUpload").Single();
        create.RequestUri!.AbsolutePath.ShouldStartWith("/scratch/.quilt/tmp/hash/");
        create.Headers.GetValues("x-amz-checksum-algorithm").Single().ShouldBe("SHA256");
        foreach (var copy in _fake.Requests("UploadPartCopy"))
        {
            copy.Headers.GetValues("x-amz-copy-source-if-match").Single().ShouldBe(etag);
        }

        _fake.Requests("UploadPartCopy").Select(r => r.Headers.GetValues("x-amz-copy-source-range").Single()).Order()
            .ShouldBe(["bytes=0-8388607", "bytes=16777216-18874367", "bytes=8388608-16777215"]);
    }

    [Fact]
    public async Task HashAsync_ObjectChangesAfterHead_FailsWithConflictAndStillAborts()
    {
        _fake.Seed(Bucket, "moving", Vector18, withChecksum: false);
        _fake.AfterHead = target => _fake.Overwrite(target.Bucket, target.Key, Bytes(Vector18.Length, 5));

        var error = await Should.ThrowAsync<QuiltException>(
            () => _store.HashAsync(new ObjectLocation(Bucket, "moving"), new HashingOptions { ScratchBucket = Scratch }, TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.Conflict);
        error.Message.ShouldContain("PreconditionFailed");
        _fake.Operations.ShouldContain("AbortMultipartUpload");
        _fake.OpenUploads.ShouldBe(0);
    }

    [Fact]
    public async Task HashAsync_PartCopiesWithoutChecksums_FallBackToRangedGetsAndStopTrying()
    {
        _fake.ReturnPartChecksums = false;
        _fake.Seed(Bucket, "a", Vector18, withChecksum: false);
        _fake.Seed(Bucket, "b", Vector18, withChecksum: false);
        var options = new HashingOptions { ScratchBucket = Scratch };

        var first = await _store.HashAsync(new ObjectLocation(Bucket, "a"), options, TestContext.Current.CancellationToken);
        var second = await _store.HashAsync(new ObjectLocation(Bucket, "b"), options, TestContext.Current.CancellationToken);

        first.Step.ShouldBe(HashStep.RangedGet);
        second.Step.ShouldBe(HashStep.RangedGet);
        first.Hash.ShouldBe(Vector18Hash);
        _store.ScratchCopyUnsupported.ShouldBeTrue();
        _fake.Operations.Count(o => o == "CreateMultipartUpload").ShouldBe(1);
        _fake.Operations.Count(o => o == "UploadPartCopy").ShouldBe(1);
        _fake.OpenUploads.ShouldBe(0);
    }

    [Fact]
    public async Task HashAsync_UnusableScratchBucket_FallsBackToRangedGets()
    {
        _fake.Seed(Bucket, "x", Vector18, withChecksum: false);

        var result = await _store.HashAsync(new ObjectLocation(Bucket, "x"), new HashingOptions { ScratchBucket = "no-such-scratch" }, TestContext.Current.CancellationToken);

        result.Step.ShouldBe(HashStep.RangedGet);
        result.Hash.ShouldBe(Vector18Hash);
        _store.ScratchCopyUnsupported.ShouldBeTrue();
    }

    [Fact]
    public async Task HashAsync_SingleChunkObjectViaScratch_IsTheDoubleHash()
    {
        var data = Bytes(3 * MiB, 8);
        _fake.Seed(Bucket, "three", data, withChecksum: false);

        var result = await _store.HashAsync(new ObjectLocation(Bucket, "three"), new HashingOptions { ScratchBucket = Scratch }, TestContext.Current.CancellationToken);

        result.Step.ShouldBe(HashStep.ScratchMultipartCopy);
        result.Hash.ShouldBe(ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, data));
    }

    [Fact]
    public async Task CopyAsync_Multipart_TakesHashFromCompleteChecksumAndPassesMetadata()
    {
        var metadata = new Dictionary<string, string> { ["owner"] = "lab", ["title"] = "=?UTF-8?B?w7xiZXI=?=" };
        _fake.Seed(Bucket, "src", Vector18, withChecksum: false, contentType: "text/plain", metadata: metadata);

        var result = await _store.CopyAsync(new ObjectLocation(Bucket, "src"), new ObjectLocation("target", "ns/pkg/src"), new CopyOptions(), TestContext.Current.CancellationToken);

        result.Hash.ShouldBe(Vector18Hash);
        var copied = _fake.Object("target", "ns/pkg/src")!;
        copied.Data.ShouldBe(Vector18);
        copied.Metadata.ShouldBe(metadata, ignoreOrder: true);
        copied.ContentType.ShouldBe("text/plain");
        _fake.OpenUploads.ShouldBe(0);
    }

    [Fact]
    public async Task CopyAsync_MultipartWithPartChecksumsButNoneOnComplete_CombinesThePartChecksums()
    {
        _fake.ReturnCompleteChecksum = false;
        _fake.Seed(Bucket, "src", Vector18, withChecksum: false);

        var result = await _store.CopyAsync(new ObjectLocation(Bucket, "src"), new ObjectLocation("target", "dst"), new CopyOptions(), TestContext.Current.CancellationToken);

        result.Hash.ShouldBe(Vector18Hash);
    }

    [Fact]
    public async Task CopyAsync_SourceChangesDuringPartCopies_AbortsTheUpload()
    {
        _fake.Seed(Bucket, "src", Vector18, withChecksum: false);
        _fake.AfterHead = target => _fake.Overwrite(target.Bucket, target.Key, Bytes(100, 1));

        var error = await Should.ThrowAsync<QuiltException>(
            () => _store.CopyAsync(new ObjectLocation(Bucket, "src"), new ObjectLocation("target", "dst"), new CopyOptions(), TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.Conflict);
        _fake.Operations.ShouldContain("AbortMultipartUpload");
        _fake.OpenUploads.ShouldBe(0);
        _fake.Object("target", "dst").ShouldBeNull();
    }
}
