using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Quilt.Core.Errors;
using Quilt.Storage.Tests.Fakes;
using Quilt.Testing;

namespace Quilt.Storage.Tests;

/// <summary>
/// Conditional writes and deletes, version listings and upload listings: what a rollback and a commit rely on to never
/// replace or remove another writer's object. Against moto (which honours <c>If-None-Match: *</c> and <c>If-Match</c>
/// on PutObject and <c>If-Match</c> on DeleteObject, as S3 does) and against a local folder with stand-in ETags.
/// </summary>
public sealed class ConditionalWriteTests(MotoFixture moto) : IDisposable
{
    private readonly TempFolder _folder = new();

    public static TheoryData<bool> Stores() => new(true, false);

    private async Task<(IObjectStore Store, string Bucket)> StoreAsync(bool s3, bool versioned = false)
    {
        if (s3)
        {
            return (moto.Server.CreateStore(), await moto.Server.CreateBucketAsync(versioned, TestContext.Current.CancellationToken));
        }

        return (new LocalObjectStore(), _folder.Path);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task PutAsync_IfNoneMatchOnExistingKey_RefusesWithConflictAndKeepsTheObject(bool s3)
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, bucket) = await StoreAsync(s3);
        var location = new ObjectLocation(bucket, "k/pointer");
        await store.PutAsync(location, "first"u8.ToArray(), new PutOptions { IfNoneMatch = true }, ct);

        var error = await Should.ThrowAsync<QuiltException>(() => store.PutAsync(location, "second"u8.ToArray(), new PutOptions { IfNoneMatch = true }, ct));

        error.Kind.ShouldBe(QuiltErrorKind.Conflict);
        Encoding.ASCII.GetString((await store.TryReadAllBytesAsync(location, ct))!).ShouldBe("first");
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task PutAsync_IfMatchWithStaleETag_RefusesWithConflictAndKeepsTheObject(bool s3)
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, bucket) = await StoreAsync(s3);
        var location = new ObjectLocation(bucket, "k/latest");
        var first = await store.PutAsync(location, "first"u8.ToArray(), new PutOptions(), ct);
        var head = await store.HeadAsync(location, ct);
        head.ETag.ShouldBe(first.ETag);
        await store.PutAsync(location, "other writer"u8.ToArray(), new PutOptions(), ct);

        var error = await Should.ThrowAsync<QuiltException>(() => store.PutAsync(location, "mine"u8.ToArray(), new PutOptions { IfMatchETag = first.ETag }, ct));

        error.Kind.ShouldBe(QuiltErrorKind.Conflict);
        Encoding.ASCII.GetString((await store.TryReadAllBytesAsync(location, ct))!).ShouldBe("other writer");
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task PutAsync_IfMatchWithCurrentETag_Replaces(bool s3)
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, bucket) = await StoreAsync(s3);
        var location = new ObjectLocation(bucket, "k/latest");
        var first = await store.PutAsync(location, "first"u8.ToArray(), new PutOptions(), ct);

        await store.PutAsync(location, "mine"u8.ToArray(), new PutOptions { IfMatchETag = first.ETag }, ct);

        Encoding.ASCII.GetString((await store.TryReadAllBytesAsync(location, ct))!).ShouldBe("mine");
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task DeleteIfMatchAsync_ObjectReplacedByAnotherWriter_KeepsItAndSaysChanged(bool s3)
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, bucket) = await StoreAsync(s3);
        var location = new ObjectLocation(bucket, "k/data.bin");
        var mine = await store.PutAsync(location, "mine"u8.ToArray(), new PutOptions(), ct);
        await store.PutAsync(location, "theirs, longer"u8.ToArray(), new PutOptions(), ct);

        (await store.DeleteIfMatchAsync(location, mine.ETag!, ct)).ShouldBe(DeleteOutcome.Changed);
        (await store.TryReadAllBytesAsync(location, ct)).ShouldNotBeNull();

        var current = await store.HeadAsync(location, ct);
        (await store.DeleteIfMatchAsync(location, current.ETag!, ct)).ShouldBe(DeleteOutcome.Deleted);
        (await store.TryReadAllBytesAsync(location, ct)).ShouldBeNull();
        (await store.DeleteIfMatchAsync(location, current.ETag!, ct)).ShouldBe(DeleteOutcome.Absent);
    }

    [Fact]
    public async Task ListVersionsAsync_NeverVersionedBucket_ReportsNoVersionIdInsteadOfTheLiteralNull()
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, bucket) = await StoreAsync(s3: true);
        await store.PutAsync(new ObjectLocation(bucket, "a/one"), "1"u8.ToArray(), new PutOptions(), ct);

        var versions = await store.ListVersionsAsync(bucket, "a/", ct).ToListAsync(ct);

        versions.Single().VersionId.ShouldBeNull();
        versions.Single().IsLatest.ShouldBeTrue();
        versions.Single().ETag.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task ListVersionsAsync_SuspendedBucket_KeepsTheRealNullVersion()
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, bucket) = await StoreAsync(s3: true, versioned: true);
        using var raw = moto.Server.CreateRawClient();
        await raw.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Suspended } }, ct);
        await store.PutAsync(new ObjectLocation(bucket, "a/one"), "written while suspended"u8.ToArray(), new PutOptions(), ct);

        var versions = await store.ListVersionsAsync(bucket, "a/", ct).ToListAsync(ct);

        // In a bucket that kept versions once, "null" names a real version (deleting it by id is exact).
        versions.Single().VersionId.ShouldBe("null");
    }

    [Fact]
    public async Task ListUploadsAsync_OpenUploadUnderPrefix_IsListedAndAbortRemovesIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, bucket) = await StoreAsync(s3: true);
        using var raw = moto.Server.CreateRawClient();
        var started = await raw.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "ns/name/big.bin" }, ct);
        await raw.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "other/big.bin" }, ct);

        var uploads = await store.ListUploadsAsync(bucket, "ns/", ct).ToListAsync(ct);

        uploads.Single().UploadId.ShouldBe(started.UploadId);
        uploads.Single().Key.ShouldBe("ns/name/big.bin");
        await store.AbortUploadAsync(uploads.Single(), ct);
        (await store.ListUploadsAsync(bucket, "ns/", ct).ToListAsync(ct)).ShouldBeEmpty();
        (await store.ListUploadsAsync(bucket, "", ct).ToListAsync(ct)).Count.ShouldBe(1);
    }

    public void Dispose() => _folder.Dispose();
}
