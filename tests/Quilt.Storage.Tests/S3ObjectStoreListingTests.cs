using Quilt.Core.Errors;
using Quilt.Storage.Tests.Fakes;
using Quilt.Testing;

namespace Quilt.Storage.Tests;

/// <summary>Listing against moto: paging, odd keys, versions, delete markers, folder markers, delimiters.</summary>
public sealed class S3ObjectStoreListingTests(MotoFixture moto)
{
    private static readonly string LongKey = "long/" + new string('k', 995);

    private static readonly string[] OddKeys =
    [
        "odd/with space.txt",
        "odd/данные.csv",
        "odd/日本語/ファイル.json",
        "odd/plus+sign",
        "odd/percent%25and%",
        "odd/question?mark",
        "odd/hash#tag",
        "odd/emoji-😀.txt",
        "odd/tab\tand~tilde",
        LongKey,
    ];

    private readonly MotoServer _server = moto.Server;

    [Fact]
    public async Task ListAsync_ThousandsOfKeys_YieldsAllSortedOverSeveralPages()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = _server.CreateStore();
        var bucket = await _server.CreateBucketAsync(cancellationToken: ct);
        var keys = Enumerable.Range(0, 2_600).Select(i => $"many/{i % 7}/item-{i:D5}.txt").ToList();
        await store.SeedAsync(bucket, keys.Select(k => (k, new byte[] { (byte)k.Length })), parallelism: 32, cancellationToken: ct);
        await store.PutAsync(new ObjectLocation(bucket, "other/not-listed"), new byte[1], cancellationToken: ct);
        var before = store.Requests.Snapshot();

        var listed = await store.ListAsync(bucket, "many/", cancellationToken: ct).ToListAsync(ct);

        listed.Select(o => o.Key).ShouldBe(keys.Order(StringComparer.Ordinal));
        listed.ShouldAllBe(o => o.Size == 1 && o.ETag != null && o.LastModified != null && o.VersionId == null && !o.IsFolderMarker);
        store.Requests.Since(before).ShouldBe(new Dictionary<string, long> { ["ListObjectsV2"] = 3 });
    }

    [Fact]
    public async Task ListAsync_OddKeys_RoundTripThroughPutListHeadAndRead()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = _server.CreateStore();
        var bucket = await _server.CreateBucketAsync(cancellationToken: ct);
        foreach (var key in OddKeys)
        {
            await store.PutAsync(new ObjectLocation(bucket, key), System.Text.Encoding.UTF8.GetBytes(key), cancellationToken: ct);
        }

        var listed = await store.ListAsync(bucket, string.Empty, cancellationToken: ct).Select(o => o.Key).ToListAsync(ct);
        listed.ShouldBe(OddKeys.Order(StringComparer.Ordinal));
        foreach (var key in OddKeys)
        {
            var location = new ObjectLocation(bucket, key);
            (await store.HeadAsync(location, ct)).Size.ShouldBe(System.Text.Encoding.UTF8.GetByteCount(key));
            (await store.TryReadAllBytesAsync(location, ct)).ShouldBe(System.Text.Encoding.UTF8.GetBytes(key));
        }

        System.Text.Encoding.UTF8.GetByteCount(LongKey).ShouldBe(1000);
        store.ToPhysicalKey(new ObjectLocation(bucket, "odd/with space.txt")).ShouldBe($"s3://{bucket}/odd/with%20space.txt");
        store.ToPhysicalKey(new ObjectLocation(bucket, "odd/hash#tag", "v 1/+=")).ShouldBe($"s3://{bucket}/odd/hash%23tag?versionId=v+1%2F%2B%3D");
    }

    [Fact]
    public async Task ListAsync_LatestVersions_PinsCurrentVersionsAndHidesDeletedKeys()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = _server.CreateStore();
        using var raw = _server.CreateRawClient();
        var bucket = await _server.CreateBucketAsync(versioned: true, ct);
        await store.PutAsync(new ObjectLocation(bucket, "p/a"), "a1"u8.ToArray(), cancellationToken: ct);
        var a2 = await store.PutAsync(new ObjectLocation(bucket, "p/a"), "a2-longer"u8.ToArray(), cancellationToken: ct);
        await store.PutAsync(new ObjectLocation(bucket, "p/b"), "b1"u8.ToArray(), cancellationToken: ct);
        await raw.DeleteObjectAsync(bucket, "p/b", ct); // leaves a delete marker as the latest "version"
        var c1 = await store.PutAsync(new ObjectLocation(bucket, "p/c"), "c1"u8.ToArray(), cancellationToken: ct);

        var latest = await store.ListAsync(bucket, "p/", latestVersions: true, ct).ToListAsync(ct);
        var current = await store.ListAsync(bucket, "p/", cancellationToken: ct).ToListAsync(ct);

        latest.Select(o => (o.Key, o.VersionId, o.Size)).ShouldBe([("p/a", a2.VersionId, 9L), ("p/c", c1.VersionId, 2L)]);
        current.Select(o => o.Key).ShouldBe(["p/a", "p/c"]);
        store.Requests.Count("ListObjectVersions").ShouldBe(1);
    }

    [Fact]
    public async Task ListAsync_LatestVersionsOverManyPages_YieldsEveryKeyOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = _server.CreateStore();
        var bucket = await _server.CreateBucketAsync(versioned: true, ct);
        var keys = Enumerable.Range(0, 1_100).Select(i => $"v/{i:D4}").ToList();
        await store.SeedAsync(bucket, keys.Select(k => (k, new byte[] { 1 })), cancellationToken: ct);
        await store.SeedAsync(bucket, keys.Take(50).Select(k => (k, new byte[] { 1, 2 })), cancellationToken: ct);

        var latest = await store.ListAsync(bucket, "v/", latestVersions: true, ct).ToListAsync(ct);

        latest.Select(o => o.Key).ShouldBe(keys);
        latest.Take(50).ShouldAllBe(o => o.Size == 2);
        latest.ShouldAllBe(o => o.VersionId != null);
        store.Requests.Count("ListObjectVersions").ShouldBe(2);
    }

    [Fact]
    public async Task ListAsync_FolderMarker_IsReportedAsSuch()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = _server.CreateStore();
        var bucket = await _server.CreateBucketAsync(cancellationToken: ct);
        await store.PutAsync(new ObjectLocation(bucket, "dir/"), ReadOnlyMemory<byte>.Empty, cancellationToken: ct);
        await store.PutAsync(new ObjectLocation(bucket, "dir/file"), "x"u8.ToArray(), cancellationToken: ct);

        var listed = await store.ListAsync(bucket, "dir", cancellationToken: ct).ToListAsync(ct);

        listed.Select(o => (o.Key, o.IsFolderMarker)).ShouldBe([("dir/", true), ("dir/file", false)]);
    }

    [Fact]
    public async Task ListPageAsync_WithDelimiterAndSmallPages_ReturnsPrefixesAndContinues()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = _server.CreateStore();
        var bucket = await _server.CreateBucketAsync(cancellationToken: ct);
        await store.SeedAsync(bucket, new[] { "root/a.txt", "root/b.txt", "root/c.txt", "root/sub1/x", "root/sub2/y" }.Select(k => (k, new byte[] { 1 })), cancellationToken: ct);

        var first = await store.ListPageAsync(bucket, "root/", "/", 2, null, ct);
        var objects = first.Objects.Select(o => o.Key).ToList();
        var prefixes = first.CommonPrefixes.ToList();
        var token = first.NextContinuationToken;
        var pages = 1;
        while (token is not null)
        {
            var next = await store.ListPageAsync(bucket, "root/", "/", 2, token, ct);
            objects.AddRange(next.Objects.Select(o => o.Key));
            prefixes.AddRange(next.CommonPrefixes);
            token = next.NextContinuationToken;
            pages++;
        }

        objects.ShouldBe(["root/a.txt", "root/b.txt", "root/c.txt"]);
        prefixes.ShouldBe(["root/sub1/", "root/sub2/"]);
        pages.ShouldBe(3);
        first.NextContinuationToken.ShouldNotBeNull();
    }

    [Fact]
    public async Task ListPageAsync_EmptyPrefix_ReturnsEmptyListsNotNull()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = _server.CreateStore();
        var bucket = await _server.CreateBucketAsync(cancellationToken: ct);

        var page = await store.ListPageAsync(bucket, "nothing/", "/", 1000, null, ct);
        var all = await store.ListAsync(bucket, "nothing/", cancellationToken: ct).ToListAsync(ct);

        page.Objects.ShouldBeEmpty();
        page.CommonPrefixes.ShouldBeEmpty();
        page.NextContinuationToken.ShouldBeNull();
        all.ShouldBeEmpty();
    }

    [Fact]
    public async Task ListAsync_MissingBucket_ThrowsNotFoundWithHint()
    {
        var ct = TestContext.Current.CancellationToken;
        using var store = _server.CreateStore();

        var error = await Should.ThrowAsync<QuiltException>(async () => await store.ListAsync("qt-no-such-bucket", "x/", cancellationToken: ct).ToListAsync(ct));

        error.Kind.ShouldBe(QuiltErrorKind.NotFound);
        error.Message.ShouldContain("s3://qt-no-such-bucket/x/");
        error.Message.ShouldContain("NoSuchBucket");
        error.Hint.ShouldNotBeNullOrEmpty();
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("bucket/with/slash")]
    public async Task ListPageAsync_BadBucketOrPageSize_ThrowsInvalidInput(string bucket)
    {
        using var store = _server.CreateStore();

        var badBucket = await Should.ThrowAsync<QuiltException>(() => store.ListPageAsync(bucket, "", null, 10, null, TestContext.Current.CancellationToken));
        var badSize = await Should.ThrowAsync<QuiltException>(() => store.ListPageAsync("fine-bucket", "", null, 0, null, TestContext.Current.CancellationToken));

        badBucket.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        badSize.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        store.Requests.Total.ShouldBe(0);
    }
}
