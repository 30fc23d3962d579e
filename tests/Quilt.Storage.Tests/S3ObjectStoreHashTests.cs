using Quilt.Core.Hashing;
using Quilt.Storage.Tests.Fakes;
using Quilt.Testing;
using static Quilt.Storage.Tests.Fakes.TestData;

namespace Quilt.Storage.Tests;

/// <summary>The hash ladder against moto: every size, the step taken, and the requests it cost.</summary>
public sealed class S3ObjectStoreHashTests(MotoFixture moto)
{
    private readonly MotoServer _server = moto.Server;

    public static TheoryData<int> Sizes => [0, 1, 1000, MiB - 1, MiB, 8 * MiB, (8 * MiB) + 1, 18 * MiB];

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task HashAsync_AnySize_EqualsLocalHashOfTheBytes(int size)
    {
        using var store = _server.CreateStore();
        var bucket = await _server.CreateBucketAsync(cancellationToken: TestContext.Current.CancellationToken);
        var data = Bytes(size, (uint)size + 7);
        var location = await store.PutAsync(new ObjectLocation(bucket, $"sizes/{size}.bin"), data, cancellationToken: TestContext.Current.CancellationToken);

        var withSize = await store.HashAsync(location, new HashingOptions { KnownSize = size }, TestContext.Current.CancellationToken);
        var withoutSize = await store.HashAsync(location, new HashingOptions(), TestContext.Current.CancellationToken);

        var expected = ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, data);
        withSize.Hash.ShouldBe(expected);
        withoutSize.Hash.ShouldBe(expected);
        withSize.Metadata.Size.ShouldBe(size);
        withoutSize.Metadata.Size.ShouldBe(size);
    }

    [Fact]
    public async Task HashAsync_SmallObjectWithKnownSize_MakesExactlyOneGet()
    {
        using var store = _server.CreateStore();
        var bucket = await _server.CreateBucketAsync(cancellationToken: TestContext.Current.CancellationToken);
        var data = "Hello, World!"u8.ToArray();
        await store.PutAsync(new ObjectLocation(bucket, "hello.txt"), data, "text/plain", TestContext.Current.CancellationToken);
        var before = store.Requests.Snapshot();

        var result = await store.HashAsync(new ObjectLocation(bucket, "hello.txt"), new HashingOptions { KnownSize = data.Length }, TestContext.Current.CancellationToken);

        store.Requests.Since(before).ShouldBe(new Dictionary<string, long> { ["GetObject"] = 1 });
        result.Step.ShouldBe(HashStep.SmallObjectGet);
        result.Hash.Value.ShouldBe("BCp9ZKWB7y7pg/IQWIAcw1ZjtwXmxV9i+o4PGOzHCYk=");
        result.Metadata.ContentType.ShouldBe("text/plain");
        result.Metadata.ETag.ShouldNotBeNullOrEmpty();
        result.Metadata.Checksums.Sha256.ShouldBe("3/1gIbsr1bCvZ2KQgJ7DpTGR3YHH9wpLKGiKNiGCmG8=");
    }

    [Fact]
    public async Task HashAsync_EightMiBWithStoredSha256_UsesTheStoredChecksumWithOneHead()
    {
        using var store = _server.CreateStore();
        var bucket = await _server.CreateBucketAsync(cancellationToken: TestContext.Current.CancellationToken);
        var data = Repeat("12345678", 1_048_576);
        await store.PutAsync(new ObjectLocation(bucket, "one-part"), data, cancellationToken: TestContext.Current.CancellationToken);
        var before = store.Requests.Snapshot();

        var result = await store.HashAsync(new ObjectLocation(bucket, "one-part"), new HashingOptions { KnownSize = data.Length }, TestContext.Current.CancellationToken);

        result.Step.ShouldBe(HashStep.StoredChecksum);
        result.Hash.Value.ShouldBe("7V3rZ3Q/AmAYax2wsQBZbc7N1EMIxlxRyMiMthGRdwg=");
        store.Requests.Since(before).ShouldBe(new Dictionary<string, long> { ["HeadObject"] = 1 });
    }

    [Fact]
    public async Task HashAsync_EighteenMiBVector_UsesRangedGetsPerChunk()
    {
        using var store = _server.CreateStore();
        var bucket = await _server.CreateBucketAsync(cancellationToken: TestContext.Current.CancellationToken);
        var data = Repeat("1234567890abcdefgh", 1_048_576);
        await store.PutAsync(new ObjectLocation(bucket, "vector/18MiB"), data, cancellationToken: TestContext.Current.CancellationToken);
        var before = store.Requests.Snapshot();

        var result = await store.HashAsync(new ObjectLocation(bucket, "vector/18MiB"), new HashingOptions { KnownSize = data.Length }, TestContext.Current.CancellationToken);

        result.Hash.ShouldBe(new QuiltHash(QuiltHashTypes.Sha256Chunked, "T+rt/HKRJOiAkEGXKvc+DhCwRcrZiDrFkjKonDT1zgs="));
        result.Step.ShouldBe(HashStep.RangedGet);
        store.Requests.Since(before).ShouldBe(new Dictionary<string, long> { ["GetObject"] = 3, ["HeadObject"] = 1 });
    }

    [Fact]
    public async Task HashAsync_ObjectWithoutSha256AndUnknownSize_HeadsThenReads()
    {
        using var store = _server.CreateStore();
        using var raw = _server.CreateRawClient();
        var bucket = await _server.CreateBucketAsync(cancellationToken: TestContext.Current.CancellationToken);
        var small = Bytes(100, 3);
        var medium = Bytes(2 * MiB, 4);
        await raw.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = bucket, Key = "small", InputStream = new MemoryStream(small) }, TestContext.Current.CancellationToken);
        await raw.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = bucket, Key = "medium", InputStream = new MemoryStream(medium) }, TestContext.Current.CancellationToken);

        var before = store.Requests.Snapshot();
        var smallResult = await store.HashAsync(new ObjectLocation(bucket, "small"), new HashingOptions(), TestContext.Current.CancellationToken);
        store.Requests.Since(before).ShouldBe(new Dictionary<string, long> { ["GetObject"] = 1, ["HeadObject"] = 1 });

        before = store.Requests.Snapshot();
        var mediumResult = await store.HashAsync(new ObjectLocation(bucket, "medium"), new HashingOptions(), TestContext.Current.CancellationToken);
        store.Requests.Since(before).ShouldBe(new Dictionary<string, long> { ["GetObject"] = 1, ["HeadObject"] = 1 });

        smallResult.Step.ShouldBe(HashStep.SmallObjectGet);
        smallResult.Hash.ShouldBe(ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, small));
        mediumResult.Step.ShouldBe(HashStep.RangedGet);
        mediumResult.Hash.ShouldBe(ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, medium));
    }

    [Fact]
    public async Task HashAsync_ScratchBucketOnMoto_LearnsThatPartCopiesCarryNoChecksumAndStopsTrying()
    {
        // moto 5.2.1 returns no ChecksumSHA256 for UploadPartCopy: the store must notice once, abort, fall back, and
        // not try the scratch upload again in this run.
        using var store = _server.CreateStore();
        using var raw = _server.CreateRawClient();
        var bucket = await _server.CreateBucketAsync(cancellationToken: TestContext.Current.CancellationToken);
        var scratch = await _server.CreateBucketAsync(cancellationToken: TestContext.Current.CancellationToken);
        var data = Bytes((9 * MiB) + 5, 11);
        await store.PutAsync(new ObjectLocation(bucket, "big-1"), data, cancellationToken: TestContext.Current.CancellationToken);
        await store.PutAsync(new ObjectLocation(bucket, "big-2"), data, cancellationToken: TestContext.Current.CancellationToken);
        var options = new HashingOptions { ScratchBucket = scratch };

        var before = store.Requests.Snapshot();
        var first = await store.HashAsync(new ObjectLocation(bucket, "big-1"), options, TestContext.Current.CancellationToken);
        var firstRequests = store.Requests.Since(before);
        before = store.Requests.Snapshot();
        var second = await store.HashAsync(new ObjectLocation(bucket, "big-2"), options, TestContext.Current.CancellationToken);
        var secondRequests = store.Requests.Since(before);

        var expected = ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, data);
        first.Hash.ShouldBe(expected);
        second.Hash.ShouldBe(expected);
        first.Step.ShouldBe(HashStep.RangedGet);
        store.ScratchCopyUnsupported.ShouldBeTrue();
        firstRequests.ShouldBe(new Dictionary<string, long>
        {
            ["AbortMultipartUpload"] = 1, ["CreateMultipartUpload"] = 1, ["GetObject"] = 2, ["HeadObject"] = 1, ["UploadPartCopy"] = 1,
        });
        secondRequests.ShouldBe(new Dictionary<string, long> { ["GetObject"] = 2, ["HeadObject"] = 1 });
        var uploads = await raw.ListMultipartUploadsAsync(scratch, TestContext.Current.CancellationToken);
        (uploads.MultipartUploads ?? []).ShouldBeEmpty();
    }

    [Fact]
    public async Task HashAsync_VersionedObject_HashesThePinnedVersion()
    {
        using var store = _server.CreateStore();
        var bucket = await _server.CreateBucketAsync(versioned: true, TestContext.Current.CancellationToken);
        var v1 = await store.PutAsync(new ObjectLocation(bucket, "doc"), "first"u8.ToArray(), cancellationToken: TestContext.Current.CancellationToken);
        await store.PutAsync(new ObjectLocation(bucket, "doc"), "second version"u8.ToArray(), cancellationToken: TestContext.Current.CancellationToken);

        var result = await store.HashAsync(v1, new HashingOptions(), TestContext.Current.CancellationToken);

        v1.VersionId.ShouldNotBeNull();
        result.Hash.ShouldBe(ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, "first"u8));
        result.Metadata.Location.VersionId.ShouldBe(v1.VersionId);
        result.Metadata.Size.ShouldBe(5);
    }

    [Fact]
    public async Task HashAsync_MissingObject_ThrowsNotFoundNamingTheObject()
    {
        using var store = _server.CreateStore();
        var bucket = await _server.CreateBucketAsync(cancellationToken: TestContext.Current.CancellationToken);

        var small = await Should.ThrowAsync<Core.Errors.QuiltException>(
            () => store.HashAsync(new ObjectLocation(bucket, "missing"), new HashingOptions { KnownSize = 10 }, TestContext.Current.CancellationToken));
        var unknown = await Should.ThrowAsync<Core.Errors.QuiltException>(
            () => store.HashAsync(new ObjectLocation(bucket, "missing"), new HashingOptions(), TestContext.Current.CancellationToken));

        small.Kind.ShouldBe(Core.Errors.QuiltErrorKind.NotFound);
        unknown.Kind.ShouldBe(Core.Errors.QuiltErrorKind.NotFound);
        small.Message.ShouldContain($"s3://{bucket}/missing");
        small.Hint.ShouldNotBeNullOrEmpty();
    }
}
