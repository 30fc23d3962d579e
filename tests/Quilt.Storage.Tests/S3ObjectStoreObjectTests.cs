using System.Text;
using Amazon.S3.Model;
using Quilt.Core.Errors;
using Quilt.Storage.Tests.Fakes;
using Quilt.Testing;

namespace Quilt.Storage.Tests;

/// <summary>Head, bucket info, reads, writes, deletes and presigned URLs against moto.</summary>
public sealed class S3ObjectStoreObjectTests(MotoFixture moto)
{
    private readonly MotoServer _server = moto.Server;

    [Fact]
    public async Task HeadAsync_ObjectWithMetadata_ReturnsDecodedUserMetadataAndChecksums()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = _server.CreateStore();
        using var raw = _server.CreateRawClient();
        var bucket = await _server.CreateBucketAsync(cancellationToken: ct);
        var request = new PutObjectRequest
        {
            BucketName = bucket,
            Key = "meta.csv",
            ContentBody = "a,b\n1,2\n",
            ContentType = "text/csv",
            ChecksumAlgorithm = Amazon.S3.ChecksumAlgorithm.SHA256,
        };
        request.Metadata.Add("plain", "ascii value");
        request.Metadata.Add("Mixed-Case", "v");
        request.Metadata.Add("greek", "=?UTF-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes("Ελληνικά")) + "?=");
        request.Metadata.Add("quoted", "=?utf-8?Q?caf=C3=A9_au_lait?=");
        request.Metadata.Add("escaped", Uri.EscapeDataString("данные"));
        await raw.PutObjectAsync(request, ct);

        var head = await store.HeadAsync(new ObjectLocation(bucket, "meta.csv"), ct);

        head.Size.ShouldBe(8);
        head.ContentType.ShouldBe("text/csv");
        head.ETag.ShouldStartWith("\"");
        head.LastModified.ShouldNotBeNull().Offset.ShouldBe(TimeSpan.Zero);
        head.Checksums.Sha256.ShouldNotBeNullOrEmpty();
        head.Location.VersionId.ShouldBeNull();
        head.UserMetadata.ShouldBe(
            new Dictionary<string, string>
            {
                ["plain"] = "ascii value",
                ["mixed-case"] = "v",
                ["greek"] = "Ελληνικά",
                ["quoted"] = "café au lait",
                ["escaped"] = "данные",
            },
            ignoreOrder: true);
    }

    [Fact]
    public async Task HeadAsync_MissingKeyAndBucket_ThrowNotFound()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = _server.CreateStore();
        var bucket = await _server.CreateBucketAsync(cancellationToken: ct);

        var missingKey = await Should.ThrowAsync<QuiltException>(() => store.HeadAsync(new ObjectLocation(bucket, "nope"), ct));
        var missingBucket = await Should.ThrowAsync<QuiltException>(() => store.HeadAsync(new ObjectLocation("qt-missing-bucket", "nope"), ct));

        missingKey.Kind.ShouldBe(QuiltErrorKind.NotFound);
        missingKey.Message.ShouldContain($"s3://{bucket}/nope");
        missingBucket.Kind.ShouldBe(QuiltErrorKind.NotFound);
        store.Requests.Count("HeadObject").ShouldBe(2);
    }

    [Fact]
    public async Task GetBucketInfoAsync_VersionedUnversionedMissing_ReportsEach()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = _server.CreateStore();
        var plain = await _server.CreateBucketAsync(cancellationToken: ct);
        var versioned = await _server.CreateBucketAsync(versioned: true, ct);

        (await store.GetBucketInfoAsync(plain, ct)).ShouldBe(new BucketInfo(plain, true, false));
        (await store.GetBucketInfoAsync(versioned, ct)).ShouldBe(new BucketInfo(versioned, true, true));
        (await store.GetBucketInfoAsync("qt-does-not-exist", ct)).ShouldBe(new BucketInfo("qt-does-not-exist", false, false));
        store.Requests.Count("GetBucketVersioning").ShouldBe(3);
    }

    [Fact]
    public async Task TryReadAllBytesAsync_MissingKey_ReturnsNullButMissingBucketThrows()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = _server.CreateStore();
        var bucket = await _server.CreateBucketAsync(cancellationToken: ct);

        (await store.TryReadAllBytesAsync(new ObjectLocation(bucket, ".quilt/named_packages/a/b/latest"), ct)).ShouldBeNull();
        var error = await Should.ThrowAsync<QuiltException>(() => store.TryReadAllBytesAsync(new ObjectLocation("qt-missing-bucket", "k"), ct));
        error.Kind.ShouldBe(QuiltErrorKind.NotFound);
    }

    [Fact]
    public async Task PutAsync_VersionedBucket_ReturnsVersionAndReadsBackEachVersion()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = _server.CreateStore();
        var bucket = await _server.CreateBucketAsync(versioned: true, ct);
        var payload = new byte[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };

        var v1 = await store.PutAsync(new ObjectLocation(bucket, "f"), payload.AsMemory(2, 5), "application/x-test", ct);
        var v2 = await store.PutAsync(new ObjectLocation(bucket, "f"), new byte[] { 42 }, cancellationToken: ct);

        v1.VersionId.ShouldNotBeNull();
        v2.VersionId.ShouldNotBe(v1.VersionId);
        (await store.TryReadAllBytesAsync(v1, ct)).ShouldBe(new byte[] { 2, 3, 4, 5, 6 });
        (await store.TryReadAllBytesAsync(v2 with { VersionId = null }, ct)).ShouldBe(new byte[] { 42 });
        (await store.HeadAsync(v1, ct)).ContentType.ShouldBe("application/x-test");
        store.ToPhysicalKey(v1).ShouldEndWith("?versionId=" + Uri.EscapeDataString(v1.VersionId!));
    }

    [Theory]
    [InlineData(0L, null, 0, 100)]
    [InlineData(10L, 5L, 10, 5)]
    [InlineData(95L, null, 95, 5)]
    [InlineData(50L, 0L, 0, 0)]
    public async Task OpenReadAsync_Range_StreamsExactlyThoseBytes(long offset, long? length, int expectedStart, int expectedCount)
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = _server.CreateStore();
        var bucket = await _server.CreateBucketAsync(cancellationToken: ct);
        var data = TestData.Bytes(100, 9);
        var location = await store.PutAsync(new ObjectLocation(bucket, "range"), data, cancellationToken: ct);

        await using var stream = await store.OpenReadAsync(location, offset, length, ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, ct);

        copy.ToArray().ShouldBe(data.AsSpan(expectedStart, expectedCount).ToArray());
    }

    [Fact]
    public async Task OpenReadAsync_NegativeRange_ThrowsInvalidInput()
    {
        using var store = _server.CreateStore();
        var error = await Should.ThrowAsync<QuiltException>(() => store.OpenReadAsync(new ObjectLocation("b-ucket", "k"), -1, null, TestContext.Current.CancellationToken));
        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
    }

    [Fact]
    public async Task DeleteAsync_ByVersion_RemovesOnlyThatVersion()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = _server.CreateStore();
        using var raw = _server.CreateRawClient();
        var bucket = await _server.CreateBucketAsync(versioned: true, ct);
        var v1 = await store.PutAsync(new ObjectLocation(bucket, "doc"), "one"u8.ToArray(), cancellationToken: ct);
        var v2 = await store.PutAsync(new ObjectLocation(bucket, "doc"), "two"u8.ToArray(), cancellationToken: ct);
        var other = await store.PutAsync(new ObjectLocation(bucket, "other"), "x"u8.ToArray(), cancellationToken: ct);

        var failures = await store.DeleteAsync([v2, other], ct);

        failures.ShouldBeEmpty();
        var versions = await raw.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket }, ct);
        (versions.Versions ?? []).Where(v => v.IsDeleteMarker != true).Select(v => (v.Key, (string?)v.VersionId)).ShouldBe([("doc", v1.VersionId)]);
        (await store.TryReadAllBytesAsync(new ObjectLocation(bucket, "doc"), ct)).ShouldBe("one"u8.ToArray());
    }

    [Fact]
    public async Task DeleteAsync_ManyObjectsAndMissingOnes_BatchesByThousandWithoutFailures()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = _server.CreateStore();
        var bucket = await _server.CreateBucketAsync(cancellationToken: ct);
        var keys = Enumerable.Range(0, 1_200).Select(i => $"del/{i:D4}").ToList();
        await store.SeedAsync(bucket, keys.Select(k => (k, new byte[] { 7 })), cancellationToken: ct);
        var before = store.Requests.Snapshot();

        var failures = await store.DeleteAsync([.. keys.Select(k => new ObjectLocation(bucket, k)), new ObjectLocation(bucket, "del/never-existed")], ct);

        failures.ShouldBeEmpty();
        store.Requests.Since(before).ShouldBe(new Dictionary<string, long> { ["DeleteObjects"] = 2 });
        (await store.ListAsync(bucket, "del/", cancellationToken: ct).ToListAsync(ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task DeleteAsync_MissingBucket_ReportsEveryObjectAsFailed()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = _server.CreateStore();

        var failures = await store.DeleteAsync([new ObjectLocation("qt-missing-bucket", "a"), new ObjectLocation("qt-missing-bucket", "b")], ct);

        failures.Select(f => f.Location.Key).ShouldBe(["a", "b"]);
        failures.ShouldAllBe(f => f.Error.Contains("NoSuchBucket"));
    }

    [Fact]
    public async Task Presign_PutThenGet_WorksWithAPlainHttpClient()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = _server.CreateStore();
        var bucket = await _server.CreateBucketAsync(cancellationToken: ct);
        var location = new ObjectLocation(bucket, "shared/report ü.txt");
        using var http = new HttpClient();

        var putUrl = store.Presign(location, forUpload: true, TimeSpan.FromMinutes(5));
        using (var put = await http.PutAsync(putUrl, new ByteArrayContent("presigned body"u8.ToArray()), ct))
        {
            put.IsSuccessStatusCode.ShouldBeTrue();
        }

        var getUrl = store.Presign(location, forUpload: false, TimeSpan.FromMinutes(5));
        var body = await http.GetByteArrayAsync(getUrl, ct);

        putUrl.Scheme.ShouldBe("http");
        getUrl.Query.ShouldContain("X-Amz-Signature=");
        getUrl.ToString().ShouldNotContain(MotoServer.SecretAccessKey);
        body.ShouldBe("presigned body"u8.ToArray());
        store.Requests.Total.ShouldBe(0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(8 * 24 * 3600)]
    public void Presign_LifetimeOutOfRange_ThrowsInvalidInput(int seconds)
    {
        using var store = _server.CreateStore();
        var error = Should.Throw<QuiltException>(() => store.Presign(new ObjectLocation("bucket", "k"), false, TimeSpan.FromSeconds(seconds)));
        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
    }

    [Fact]
    public async Task AbortMultipartUploadAsync_OpenAndUnknownUploads_LeavesNoneOpen()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = _server.CreateStore();
        using var raw = _server.CreateRawClient();
        var bucket = await _server.CreateBucketAsync(cancellationToken: ct);
        var started = await raw.InitiateMultipartUploadAsync(bucket, "left/over", ct);

        var open = await store.ListUploadsAsync(bucket, "left/", ct).Select(u => (u.Key, u.UploadId)).ToListAsync(ct);
        await store.AbortMultipartUploadAsync(bucket, "left/over", started.UploadId, ct);
        await store.AbortMultipartUploadAsync(bucket, "left/over", started.UploadId, ct); // already gone: no error
        var after = await store.ListUploadsAsync(bucket, "left/", ct).ToListAsync(ct);

        open.ShouldBe([("left/over", started.UploadId)]);
        after.ShouldBeEmpty();
    }

    [Fact]
    public async Task Locations_WithoutKeyOrBucket_AreRejectedBeforeAnyRequest()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = _server.CreateStore();

        (await Should.ThrowAsync<QuiltException>(() => store.HeadAsync(new ObjectLocation("bucket", ""), ct))).Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        (await Should.ThrowAsync<QuiltException>(() => store.PutAsync(new ObjectLocation("", "k"), new byte[1], cancellationToken: ct))).Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        Should.Throw<QuiltException>(() => store.ToPhysicalKey(new ObjectLocation("b/x", "k"))).Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        store.Requests.Total.ShouldBe(0);
    }
}
