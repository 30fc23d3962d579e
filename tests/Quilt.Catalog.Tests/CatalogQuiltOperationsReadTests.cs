using System.Text;
using Quilt.Catalog.Tests.Fakes;
using Quilt.Catalog.Tests.TestRegistry;
using Quilt.Core.Errors;
using Quilt.Core.Json;
using Quilt.Packaging.Contracts;

namespace Quilt.Catalog.Tests;

/// <summary>Browse, list and diff through GraphQL; listings, object info, upload URLs and verify through the user's temporary credentials.</summary>
public sealed class CatalogQuiltOperationsReadTests(GraphQLValidator validator) : IAsyncLifetime
{
    private const string Registry = "reg-bucket";
    private CatalogWorld _world = null!;
    private RegistryUser _ivy = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _world = await CatalogWorld.StartAsync(validator, o => o with { MaxBrowseEntries = 5 });
        _ivy = _world.Registry.AddUser("ivy-token", "ivy", Registry);
        _world.S3.CreateBucket(Registry, versioned: true, _ivy.AccessKeyId);
    }

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    private IQuiltOperations Ops => _world.For(_ivy);

    private async Task<PackageCreateResult> CreateAsync(string name, string message, params (string Key, string Text)[] files)
    {
        foreach (var (key, text) in files)
        {
            _world.S3.Put(Registry, $"in/{name}/{key}", Encoding.UTF8.GetBytes(text), new Dictionary<string, string> { ["tag"] = text });
        }

        return await Ops.CreateFromS3Async(new CreateFromS3Request
        {
            Source = StorageLocation.Parse($"s3://{Registry}/in/{name}/"),
            PackageName = "team/" + name,
            TargetRegistry = StorageLocation.S3(Registry),
            Message = message,
            Metadata = JsonText.Parse($$"""{"name": "{{name}}"}"""),
        }, null, Ct);
    }

    [Fact]
    public async Task Browse_Latest_ShowsEntriesMetaAndMessage()
    {
        var created = await CreateAsync("p1", "hello", ("b.txt", "bb"), ("a/x.txt", "x"));

        var browse = await Ops.BrowseAsync("team/p1", StorageLocation.Parse("s3://" + Registry), null, Ct);

        browse.PackageName.ShouldBe("team/p1");
        browse.Registry.ShouldBe("s3://" + Registry);
        browse.TopHash.ShouldBe(created.TopHash);
        browse.Message.ShouldBe("hello");
        JsonText.Serialize(browse.Metadata!).ShouldBe("{\"name\": \"p1\"}");
        browse.TotalBytes.ShouldBe(3);
        browse.Entries.Select(e => e.LogicalKey).ShouldBe(["a/x.txt", "b.txt"]);
        var x = browse.Entries[0];
        x.PhysicalKey.ShouldStartWith($"s3://{Registry}/in/p1/a/x.txt?versionId=");
        x.HashType.ShouldBe("sha2-256-chunked");
        ((QuiltJsonObject)((QuiltJsonObject)x.Meta)["user_meta"])["tag"].ShouldBe(new QuiltJsonString("x"));
        _world.AssertProtocolClean();
    }

    [Fact]
    public async Task Browse_ByFullHashAndPrefix_ResolvesTheRevision()
    {
        var first = await CreateAsync("p2", "one", ("a.txt", "1"));
        await CreateAsync("p2", "two", ("a.txt", "22"));

        (await Ops.BrowseAsync("team/p2", StorageLocation.S3(Registry), first.TopHash, Ct)).Message.ShouldBe("one");
        (await Ops.BrowseAsync("team/p2", StorageLocation.S3(Registry), first.TopHash![..8].ToUpperInvariant(), Ct)).TopHash.ShouldBe(first.TopHash);
        (await Ops.BrowseAsync("team/p2", StorageLocation.S3(Registry), "latest", Ct)).Message.ShouldBe("two");
    }

    [Theory]
    [InlineData("abc", QuiltErrorKind.InvalidInput)]
    [InlineData("xyzxyzxyz", QuiltErrorKind.InvalidInput)]
    [InlineData("000000", QuiltErrorKind.NotFound)]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000", QuiltErrorKind.NotFound)]
    public async Task Browse_BadOrUnknownHash_Refused(string hash, QuiltErrorKind kind)
    {
        await CreateAsync("p3", "one", ("a.txt", "1"));

        (await Should.ThrowAsync<QuiltException>(() => Ops.BrowseAsync("team/p3", StorageLocation.S3(Registry), hash, Ct))).Kind.ShouldBe(kind);
    }

    [Fact]
    public async Task Browse_AmbiguousPrefix_InvalidInput()
    {
        var a = "abcdef01" + new string('0', 56);
        var b = "abcdef02" + new string('0', 56);
        _world.Registry.Script("package", new ScriptedAnswer.Value(new System.Text.Json.Nodes.JsonObject
        {
            ["revisions"] = new System.Text.Json.Nodes.JsonObject
            {
                ["total"] = 3,
                ["page"] = new System.Text.Json.Nodes.JsonArray(
                    new System.Text.Json.Nodes.JsonObject { ["hash"] = a },
                    new System.Text.Json.Nodes.JsonObject { ["hash"] = b },
                    new System.Text.Json.Nodes.JsonObject { ["hash"] = a }),
            },
        }));

        var error = await Should.ThrowAsync<QuiltException>(() => Ops.BrowseAsync("team/amb", StorageLocation.S3(Registry), "ABCDEF", Ct));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldBe("'ABCDEF' matches 2 revisions of team/amb.");
        _world.AssertProtocolClean();
    }

    [Fact]
    public async Task Browse_MissingPackage_NotFound()
    {
        var error = await Should.ThrowAsync<QuiltException>(() => Ops.BrowseAsync("team/nothing", StorageLocation.S3(Registry), null, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.NotFound);
        error.Message.ShouldContain("team/nothing");
    }

    [Fact]
    public async Task Browse_MoreEntriesThanLimit_Unsupported()
    {
        await CreateAsync("big", "m", ("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5"), ("6", "6"));

        var error = await Should.ThrowAsync<QuiltException>(() => Ops.BrowseAsync("team/big", StorageLocation.S3(Registry), null, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.Unsupported);
        error.Message.ShouldContain("more than 5 entries");
    }

    [Fact]
    public async Task ListPackages_ShowsEveryPackageWithLatest()
    {
        var p1 = await CreateAsync("p1", "one", ("a.txt", "1"));
        await CreateAsync("p0", "zero", ("a.txt", "0"));
        var p1b = await CreateAsync("p1", "two", ("a.txt", "11"));

        var list = await Ops.ListPackagesAsync(StorageLocation.Parse("s3://" + Registry), Ct);

        list.Registry.ShouldBe("s3://" + Registry);
        list.Packages.Select(p => p.PackageName).ShouldBe(["team/p0", "team/p1"]);
        list.Packages[1].LatestTopHash.ShouldBe(p1b.TopHash);
        list.Packages[1].LatestTopHash.ShouldNotBe(p1.TopHash);
        list.Packages[1].Revisions.ShouldBe(2);
        list.Packages[1].LastModified.ShouldNotBeNull();
    }

    [Fact]
    public async Task ListPackages_BucketUnknownToCatalog_NotFound()
    {
        var error = await Should.ThrowAsync<QuiltException>(() => Ops.ListPackagesAsync(StorageLocation.S3("someone-elses"), Ct));

        error.Kind.ShouldBe(QuiltErrorKind.NotFound);
        error.Message.ShouldContain("s3://someone-elses");
    }

    [Fact]
    public async Task Diff_ReportsAddedRemovedModifiedAndMetadata()
    {
        var from = await CreateAsync("d", "one", ("same.txt", "s"), ("gone.txt", "g"), ("changed.txt", "c1"));
        _world.S3.Put(Registry, "in/d/gone.txt", []);
        var to = await Ops.CreateFromS3Async(new CreateFromS3Request
        {
            Source = StorageLocation.Parse($"s3://{Registry}/in/d/"),
            PackageName = "team/d",
            TargetRegistry = StorageLocation.S3(Registry),
            Message = "two",
            ExcludePatterns = ["gone.txt"],
            Metadata = JsonText.Parse("""{"name": "d"}"""),
        }, null, Ct);
        _world.S3.Put(Registry, "in/d/new.txt", Encoding.UTF8.GetBytes("n"));
        _world.S3.Put(Registry, "in/d/changed.txt", Encoding.UTF8.GetBytes("c2"));
        var third = await Ops.CreateFromS3Async(new CreateFromS3Request
        {
            Source = StorageLocation.Parse($"s3://{Registry}/in/d/"),
            PackageName = "team/d",
            TargetRegistry = StorageLocation.S3(Registry),
            Message = "two",
            ExcludePatterns = ["gone.txt"],
            Metadata = JsonText.Parse("""{"name": "d"}"""),
        }, null, Ct);

        var diff = await Ops.DiffAsync("team/d", StorageLocation.S3(Registry), from.TopHash!, third.TopHash!, Ct);
        var quiet = await Ops.DiffAsync("team/d", StorageLocation.S3(Registry), to.TopHash!, third.TopHash!, Ct);

        diff.FromTopHash.ShouldBe(from.TopHash);
        diff.ToTopHash.ShouldBe(third.TopHash);
        diff.Added.ShouldBe(["new.txt"]);
        diff.Removed.ShouldBe(["gone.txt"]);
        diff.Modified.ShouldBe(["changed.txt"]);
        diff.MetadataChanged.ShouldBeTrue();
        quiet.MetadataChanged.ShouldBeFalse();
        quiet.Removed.ShouldBeEmpty();
    }

    [Fact]
    public async Task ListObjects_UsesTheUsersTemporaryCredentials()
    {
        _world.S3.Put(Registry, "x/a.txt", [1]);
        _world.S3.Put(Registry, "x/sub/b.txt", [2]);

        var page = await Ops.ListObjectsAsync(StorageLocation.S3(Registry, "x/"), "/", 1000, null, Ct);

        page.Bucket.ShouldBe(Registry);
        page.Objects.Select(o => o.Key).ShouldBe(["x/a.txt"]);
        page.CommonPrefixes.ShouldBe(["x/sub/"]);
        _world.S3.StoresCreated.ShouldHaveSingleItem().AccessKeyId.ShouldBe(_ivy.AccessKeyId);
    }

    [Fact]
    public async Task GetObjectInfo_ReturnsMetadataAndChecksums()
    {
        var version = _world.S3.Put(Registry, "x/a.txt", Encoding.UTF8.GetBytes("abc"), new Dictionary<string, string> { ["k"] = "v" }, "text/plain", storeSha256: true);

        var info = await Ops.GetObjectInfoAsync(StorageLocation.Parse($"s3://{Registry}/x/a.txt"), Ct);

        info.Uri.ShouldBe($"s3://{Registry}/x/a.txt?versionId={version}");
        info.Size.ShouldBe(3);
        info.ContentType.ShouldBe("text/plain");
        info.UserMetadata["k"].ShouldBe("v");
        info.Checksums.ContainsKey("SHA256").ShouldBeTrue();
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("file:///etc/passwd")]
    [InlineData("../x")]
    [InlineData("samples")]
    public async Task LocalLocations_AreRefused(string uri)
    {
        var error = await Should.ThrowAsync<QuiltException>(() => Ops.ListPackagesAsync(StorageLocation.Parse(uri), Ct));
        error.Kind.ShouldBe(QuiltErrorKind.Unsupported);
        error.Message.ShouldContain("S3 locations only");
        error.Hint.ShouldNotBeNull().ShouldContain("direct mode");
        error.Reason.ShouldBe(QuiltErrorReason.LocalLocationRefused);
        (await Should.ThrowAsync<QuiltException>(() => Ops.GetObjectInfoAsync(StorageLocation.Parse(uri), Ct))).Kind.ShouldBe(QuiltErrorKind.Unsupported);
        (await Should.ThrowAsync<QuiltException>(() => Ops.ListObjectsAsync(StorageLocation.Parse(uri), null, 10, null, Ct))).Kind.ShouldBe(QuiltErrorKind.Unsupported);
        (await Should.ThrowAsync<QuiltException>(() => Ops.GetUploadUrlAsync(StorageLocation.Parse(uri), TimeSpan.FromMinutes(5), Ct))).Kind.ShouldBe(QuiltErrorKind.Unsupported);
        (await Should.ThrowAsync<QuiltException>(() => Ops.VerifyAsync("team/x", StorageLocation.Parse(uri), null, Ct))).Kind.ShouldBe(QuiltErrorKind.Unsupported);
        (await Should.ThrowAsync<QuiltException>(() => Ops.BrowseAsync("team/x", StorageLocation.Parse(uri), null, Ct))).Kind.ShouldBe(QuiltErrorKind.Unsupported);
    }

    [Fact]
    public async Task GetUploadUrl_SignedWithTemporaryCredentials_ExpiryCutToTheirLifetime()
    {
        var before = DateTimeOffset.UtcNow;

        var url = await Ops.GetUploadUrlAsync(StorageLocation.Parse($"s3://{Registry}/uploads/file.csv"), TimeSpan.FromDays(2), Ct);
        var shortUrl = await Ops.GetUploadUrlAsync(StorageLocation.Parse($"s3://{Registry}/uploads/file.csv"), TimeSpan.FromMinutes(10), Ct);

        url.Method.ShouldBe("PUT");
        url.Uri.ShouldBe($"s3://{Registry}/uploads/file.csv");
        url.UploadUrl.ShouldContain("X-Amz-Credential=" + _ivy.AccessKeyId);
        url.ExpiresAt.ShouldBeLessThanOrEqualTo(before.AddHours(1).AddSeconds(5));
        url.ExpiresAt.ShouldBeGreaterThan(before.AddMinutes(55));
        shortUrl.UploadUrl.ShouldContain("X-Amz-Expires=600");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(8 * 24 * 3600)]
    public async Task GetUploadUrl_BadExpiry_InvalidInput(int seconds)
    {
        var error = await Should.ThrowAsync<QuiltException>(() => Ops.GetUploadUrlAsync(StorageLocation.Parse($"s3://{Registry}/a"), TimeSpan.FromSeconds(seconds), Ct));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
    }

    [Fact]
    public async Task Verify_ReadsTheRegistryWithTemporaryCredentials()
    {
        // The test registry keeps manifests in memory, not in S3, so the direct-mode verifier finds no package there.
        var error = await Should.ThrowAsync<QuiltException>(() => Ops.VerifyAsync("team/none", StorageLocation.S3(Registry), null, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.NotFound);
        _world.S3.StoresCreated.ShouldHaveSingleItem().AccessKeyId.ShouldBe(_ivy.AccessKeyId);
    }
}
