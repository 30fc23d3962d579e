using System.Text;
using Quilt.Catalog.Tests.TestRegistry;
using Quilt.Core.Errors;
using Quilt.Packaging.Contracts;

namespace Quilt.Catalog.Tests;

/// <summary><c>package_create</c> in catalog mode: explicit s3:// files, named by file name, versions pinned by HEAD.</summary>
public sealed class CatalogQuiltOperationsFilesTests(GraphQLValidator validator) : IAsyncLifetime
{
    private const string Registry = "reg-bucket";
    private const string Uploads = "uploads";
    private CatalogWorld _world = null!;
    private RegistryUser _jack = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _world = await CatalogWorld.StartAsync(validator);
        _jack = _world.Registry.AddUser("jack-token", "jack", Registry, Uploads);
        _world.S3.CreateBucket(Registry, versioned: true, _jack.AccessKeyId);
        _world.S3.CreateBucket(Uploads, versioned: false, _jack.AccessKeyId);
        _world.AllowPromotion(Registry);
    }

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    private IQuiltOperations Ops => _world.For(_jack);

    private static CreatePackageRequest Request(params string[] files) => new()
    {
        PackageName = "team/files",
        TargetRegistry = StorageLocation.Parse("s3://" + Registry),
        Files = files.Select(StorageLocation.Parse).ToList(),
        Copy = CopyMode.None,
    };

    [Fact]
    public async Task Create_Files_PinsVersionsFromHeadAndNamesByFileName()
    {
        var v1 = _world.S3.Put(Registry, "a/one.csv", Encoding.UTF8.GetBytes("1"));
        var older = _world.S3.Put(Registry, "b/two.csv", Encoding.UTF8.GetBytes("old"));
        _world.S3.Put(Registry, "b/two.csv", Encoding.UTF8.GetBytes("newer"));
        _world.S3.Put(Uploads, "three.txt", Encoding.UTF8.GetBytes("333"), new Dictionary<string, string> { ["by"] = "jack" });

        var result = await Ops.CreateAsync(Request($"s3://{Registry}/a/one.csv", $"s3://{Registry}/b/two.csv?versionId={older}", $"s3://{Uploads}/three.txt") with { Message = "files" }, null, Ct);

        var entries = _world.Registry.CallsTo("packageConstruct").Single().Args["src"]!["entries"]!.AsArray();
        entries.Select(e => e!["logicalKey"]!.GetValue<string>()).ShouldBe(["one.csv", "two.csv", "three.txt"], ignoreOrder: true);
        var one = entries.Single(e => e!["logicalKey"]!.GetValue<string>() == "one.csv")!;
        one["physicalKey"]!.GetValue<string>().ShouldBe($"s3://{Registry}/a/one.csv?versionId={v1}");
        one["meta"]!["s3"]!["source"]!.GetValue<string>().ShouldBe($"s3://{Registry}/a/one.csv");
        one["meta"]!["s3"]!["version_id"]!.GetValue<string>().ShouldBe(v1);
        var two = entries.Single(e => e!["logicalKey"]!.GetValue<string>() == "two.csv")!;
        two["physicalKey"]!.GetValue<string>().ShouldBe($"s3://{Registry}/b/two.csv?versionId={older}");
        two["size"]!.GetValue<double>().ShouldBe(3);
        var three = entries.Single(e => e!["logicalKey"]!.GetValue<string>() == "three.txt")!;
        three["physicalKey"]!.GetValue<string>().ShouldBe($"s3://{Uploads}/three.txt");
        three["meta"]!["user_meta"]!["by"]!.GetValue<string>().ShouldBe("jack");
        three["meta"]!["s3"]!["version_id"].ShouldBeNull();
        result.Entries.ShouldBe(3);
        result.TotalBytes.ShouldBe(7);
        result.Skipped.ShouldBe(new SkippedCounts(0, 0));
        _world.AssertProtocolClean();
    }

    [Fact]
    public async Task Create_CopyAutoWithFileOutsideRegistry_Promotes()
    {
        _world.S3.Put(Uploads, "x.txt", [1]);

        var result = await Ops.CreateAsync(Request($"s3://{Uploads}/x.txt") with { Copy = CopyMode.Auto }, null, Ct);

        _world.Registry.CallsTo("packagePromote").ShouldHaveSingleItem();
        result.ObjectsCopied.ShouldBe(1);
    }

    [Fact]
    public async Task Create_CopyAutoAllInRegistry_DoesNotPromote()
    {
        _world.S3.Put(Registry, "x.txt", [1]);

        await Ops.CreateAsync(Request($"s3://{Registry}/x.txt") with { Copy = CopyMode.Auto }, null, Ct);

        _world.Registry.CallsTo("packagePromote").ShouldBeEmpty();
    }

    [Fact]
    public async Task Create_WithoutMetadata_StillPinsButSendsNoMeta()
    {
        var v = _world.S3.Put(Registry, "x.txt", [1, 2]);

        await Ops.CreateAsync(Request($"s3://{Registry}/x.txt") with { PreserveMetadata = false }, null, Ct);

        var entry = _world.Registry.CallsTo("packageConstruct").Single().Args["src"]!["entries"]![0]!;
        entry["physicalKey"]!.GetValue<string>().ShouldBe($"s3://{Registry}/x.txt?versionId={v}");
        entry["meta"].ShouldBeNull();
    }

    [Fact]
    public async Task Create_DryRun_PlansWithoutHead()
    {
        var result = await Ops.CreateAsync(Request($"s3://{Registry}/x.txt", $"s3://{Uploads}/y.txt") with { DryRun = true, Copy = CopyMode.All }, null, Ct);

        result.Plan!.Select(p => (p.LogicalKey, p.WillCopy)).ShouldBe([("x.txt", true), ("y.txt", true)]);
        result.Requests.Total.ShouldBe(2); // the registry's workflow config (may it promote into itself?), no object
        result.Requests.ByOperation.Keys.Order().ShouldBe(["GetObject", "HeadObject"]);
    }

    [Fact]
    public async Task Create_MissingObject_NotFoundAndNothingWritten()
    {
        var error = await Should.ThrowAsync<QuiltException>(() => Ops.CreateAsync(Request($"s3://{Registry}/missing.txt"), null, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.NotFound);
        _world.Registry.CallsTo("packageConstruct").ShouldBeEmpty();
    }

    [Fact]
    public async Task Create_NoFiles_InvalidInputWithUploadHint()
    {
        var error = await Should.ThrowAsync<QuiltException>(() => Ops.CreateAsync(Request(), null, Ct));

        error.Message.ShouldContain("files");
        error.Hint!.ShouldContain("presigned upload URL");
    }

    [Theory]
    [InlineData("s3://reg-bucket/a/x.txt", "s3://uploads/x.txt", "x.txt")]
    [InlineData("s3://reg-bucket/a.txt", "s3://reg-bucket/a.txt", "listed twice")]
    [InlineData("s3://reg-bucket/folder/", null, "not an object")]
    [InlineData("s3://reg-bucket", null, "not an object")]
    public async Task Create_BadFileLists_InvalidInput(string first, string? second, string expected)
    {
        string[] files = second is null ? [first] : [first, second];

        var error = await Should.ThrowAsync<QuiltException>(() => Ops.CreateAsync(Request(files), null, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldContain(expected);
    }

    [Fact]
    public async Task Create_LocalFile_Unsupported()
    {
        var error = await Should.ThrowAsync<QuiltException>(() => Ops.CreateAsync(Request("/etc/hosts"), null, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.Unsupported);
        error.Message.ShouldContain("S3 locations only");
    }
}
