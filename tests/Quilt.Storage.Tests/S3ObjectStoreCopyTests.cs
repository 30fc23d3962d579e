using System.Text;
using Amazon.S3.Model;
using Quilt.Core.Errors;
using Quilt.Core.Hashing;
using Quilt.Storage.Tests.Fakes;
using Quilt.Testing;
using static Quilt.Storage.Tests.Fakes.TestData;

namespace Quilt.Storage.Tests;

/// <summary>Server-side copies against moto: single and multipart, metadata kept, versions, hashes from checksums.</summary>
public sealed class S3ObjectStoreCopyTests(MotoFixture moto)
{
    private readonly MotoServer _server = moto.Server;

    [Fact]
    public async Task CopyAsync_SmallObjectWithKnownSize_OneCopyObjectKeepsMetadataAndYieldsHash()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = _server.CreateStore();
        var (source, data) = await SeedWithMetadataAsync(1000, ct);
        var target = await _server.CreateBucketAsync(cancellationToken: ct);
        var before = store.Requests.Snapshot();

        var result = await store.CopyAsync(source, new ObjectLocation(target, "ns/pkg/file.csv"), new CopyOptions { KnownSize = data.Length }, ct);

        store.Requests.Since(before).ShouldBe(new Dictionary<string, long> { ["CopyObject"] = 1 });
        result.Size.ShouldBe(data.Length);
        result.Hash.ShouldBe(ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, data));
        result.Destination.VersionId.ShouldBeNull();
        await ShouldMatchSourceAsync(store, result.Destination, data, ct);
    }

    [Fact]
    public async Task CopyAsync_EighteenMiB_CopiesInQuiltChunksAndKeepsMetadata()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = _server.CreateStore();
        using var raw = _server.CreateRawClient();
        var (source, data) = await SeedWithMetadataAsync(18 * MiB, ct);
        var target = await _server.CreateBucketAsync(versioned: true, ct);
        var before = store.Requests.Snapshot();

        var result = await store.CopyAsync(source, new ObjectLocation(target, "ns/pkg/big.csv"), new CopyOptions(), ct);

        store.Requests.Since(before).ShouldBe(new Dictionary<string, long>
        {
            ["CompleteMultipartUpload"] = 1, ["CreateMultipartUpload"] = 1, ["HeadObject"] = 1, ["UploadPartCopy"] = 3,
        });
        result.Size.ShouldBe(data.Length);
        result.Destination.VersionId.ShouldNotBeNull();

        // moto 5.2.1 returns no checksum from UploadPartCopy or CompleteMultipartUpload, so no hash can be derived.
        result.Hash.ShouldBeNull();
        await ShouldMatchSourceAsync(store, result.Destination, data, ct);
        var attributes = await raw.GetObjectAttributesAsync(
            new GetObjectAttributesRequest { BucketName = target, Key = "ns/pkg/big.csv", ObjectAttributes = [Amazon.S3.ObjectAttributes.ObjectSize] }, ct);
        attributes.ObjectSize.ShouldBe(data.Length);
    }

    [Fact]
    public async Task CopyAsync_OlderVersionOfVersionedSource_CopiesThatVersion()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = _server.CreateStore();
        var bucket = await _server.CreateBucketAsync(versioned: true, ct);
        var v1 = await store.PutAsync(new ObjectLocation(bucket, "src"), "version one"u8.ToArray(), cancellationToken: ct);
        await store.PutAsync(new ObjectLocation(bucket, "src"), "version two!"u8.ToArray(), cancellationToken: ct);

        var small = await store.CopyAsync(v1, new ObjectLocation(bucket, "copy-small"), new CopyOptions(), ct);
        var multipart = await store.CopyAsync(v1, new ObjectLocation(bucket, "copy-multipart"), new CopyOptions { MultipartThreshold = 1 }, ct);

        (await store.TryReadAllBytesAsync(small.Destination, ct)).ShouldBe("version one"u8.ToArray());
        (await store.TryReadAllBytesAsync(multipart.Destination, ct)).ShouldBe("version one"u8.ToArray());
        small.Destination.VersionId.ShouldNotBeNull();
        small.Hash.ShouldBe(ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, "version one"u8));
    }

    [Fact]
    public async Task CopyAsync_IfMatchEtagDiffers_ThrowsConflictWithoutCopying()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = _server.CreateStore();
        var bucket = await _server.CreateBucketAsync(cancellationToken: ct);
        var source = await store.PutAsync(new ObjectLocation(bucket, "src"), "data"u8.ToArray(), cancellationToken: ct);

        var error = await Should.ThrowAsync<QuiltException>(
            () => store.CopyAsync(source, new ObjectLocation(bucket, "dst"), new CopyOptions { IfMatchETag = "\"0123456789abcdef0123456789abcdef\"" }, ct));

        error.Kind.ShouldBe(QuiltErrorKind.Conflict);
        error.Hint.ShouldNotBeNullOrEmpty();
        (await store.TryReadAllBytesAsync(new ObjectLocation(bucket, "dst"), ct)).ShouldBeNull();
    }

    [Fact]
    public async Task CopyAsync_MissingSource_ThrowsNotFound()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = _server.CreateStore();
        var bucket = await _server.CreateBucketAsync(cancellationToken: ct);

        var error = await Should.ThrowAsync<QuiltException>(() => store.CopyAsync(new ObjectLocation(bucket, "nope"), new ObjectLocation(bucket, "dst"), new CopyOptions(), ct));

        error.Kind.ShouldBe(QuiltErrorKind.NotFound);
        error.Message.ShouldContain($"s3://{bucket}/nope");
    }

    private async Task<(ObjectLocation Source, byte[] Data)> SeedWithMetadataAsync(int size, CancellationToken ct)
    {
        using var raw = _server.CreateRawClient();
        var bucket = await _server.CreateBucketAsync(cancellationToken: ct);
        var data = Bytes(size, (uint)size);
        var request = new PutObjectRequest
        {
            BucketName = bucket,
            Key = "src/data.csv",
            InputStream = new MemoryStream(data),
            ContentType = "text/csv; charset=utf-8",
            ChecksumAlgorithm = Amazon.S3.ChecksumAlgorithm.SHA256,
        };
        request.Metadata.Add("owner", "lab-7");
        request.Metadata.Add("title", "=?UTF-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes("Überblick — 概要")) + "?=");
        await raw.PutObjectAsync(request, ct);
        return (new ObjectLocation(bucket, "src/data.csv"), data);
    }

    private static async Task ShouldMatchSourceAsync(S3ObjectStore store, ObjectLocation destination, byte[] data, CancellationToken ct)
    {
        var head = await store.HeadAsync(destination, ct);
        head.ContentType.ShouldBe("text/csv; charset=utf-8");
        head.UserMetadata.ShouldBe(new Dictionary<string, string> { ["owner"] = "lab-7", ["title"] = "Überblick — 概要" }, ignoreOrder: true);
        head.Size.ShouldBe(data.Length);
        var hash = await store.HashAsync(destination, new HashingOptions(), ct);
        hash.Hash.ShouldBe(ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, data));
    }
}
