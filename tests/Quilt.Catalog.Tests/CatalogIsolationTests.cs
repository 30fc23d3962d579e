using System.Text;
using Quilt.Catalog.Tests.TestRegistry;
using Quilt.Core.Errors;
using Quilt.Packaging.Contracts;

namespace Quilt.Catalog.Tests;

/// <summary>
/// Users of one server never mix: concurrent callers with different tokens get their own credentials, stores and
/// packages; and no token ever shows in logs, messages or printed values.
/// </summary>
public sealed class CatalogIsolationTests(GraphQLValidator validator) : IAsyncLifetime
{
    private const string KateToken = "eyJhbGciOi.KATE-SECRET-TOKEN.sig";
    private const string LeoToken = "eyJhbGciOi.LEO-SECRET-TOKEN.sig";
    private CatalogWorld _world = null!;
    private RegistryUser _kate = null!;
    private RegistryUser _leo = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _world = await CatalogWorld.StartAsync(validator);
        _kate = _world.Registry.AddUser(KateToken, "kate", "kate-reg", "kate-src");
        _leo = _world.Registry.AddUser(LeoToken, "leo", "leo-reg", "leo-src");
        _world.S3.CreateBucket("kate-src", versioned: true, _kate.AccessKeyId);
        _world.S3.CreateBucket("leo-src", versioned: true, _leo.AccessKeyId);
        _world.S3.CreateBucket("kate-reg", versioned: true, _kate.AccessKeyId);
        _world.S3.CreateBucket("leo-reg", versioned: true, _leo.AccessKeyId);
        _world.AllowPromotion("kate-reg");
        _world.AllowPromotion("leo-reg");
        for (var i = 0; i < 20; i++)
        {
            _world.S3.Put("kate-src", $"d/k{i}.txt", Encoding.UTF8.GetBytes("kate " + i));
            _world.S3.Put("leo-src", $"d/l{i}.txt", Encoding.UTF8.GetBytes("leo " + i));
        }
    }

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    private static CreateFromS3Request Request(string user, int n) => new()
    {
        Source = StorageLocation.Parse($"s3://{user}-src/d/"),
        PackageName = $"{user}/p{n}",
        TargetRegistry = StorageLocation.S3($"{user}-reg"),
        Message = $"{user} {n}",
    };

    [Fact]
    public async Task ConcurrentUsers_SeeOnlyTheirOwnCredentialsAndPackages()
    {
        var factory = _world.Connection.CreateFactory();
        var work = Enumerable.Range(0, 6).SelectMany(n => new[]
        {
            Task.Run(() => factory(KateToken).CreateFromS3Async(Request("kate", n), null, Ct), Ct),
            Task.Run(() => factory(LeoToken).CreateFromS3Async(Request("leo", n), null, Ct), Ct),
        }).ToList();

        var results = await Task.WhenAll(work);

        results.Count(r => r.PackageName.StartsWith("kate/", StringComparison.Ordinal)).ShouldBe(6);
        foreach (var call in _world.Registry.Calls)
        {
            var owner = call.Token == KateToken ? "kate" : "leo";
            call.User.ShouldBe(owner);
            var bucket = call.Args["params"]?["bucket"]?.GetValue<string>() ?? call.Args["bucket"]?.GetValue<string>();
            bucket.ShouldBe(owner + "-reg");
        }

        foreach (var construct in _world.Registry.CallsTo("packageConstruct"))
        {
            var owner = construct.Token == KateToken ? "kate" : "leo";
            construct.Args["src"]!["entries"]!.AsArray().ShouldAllBe(e => e!["physicalKey"]!.GetValue<string>().StartsWith($"s3://{owner}-src/", StringComparison.Ordinal));
        }

        _world.S3.StoresCreated.Count.ShouldBe(2);
        _world.S3.StoresCreated.Select(s => s.AccessKeyId).Order().ShouldBe(["AKIAKATE", "AKIALEO"]);
        _world.S3.StoresCreated.ShouldAllBe(s => s.Used.All(c => c.SessionToken == $"session-{(s.AccessKeyId == "AKIAKATE" ? "kate" : "leo")}-1"));
        _world.Registry.CredentialRequests[KateToken].ShouldBe(1);
        _world.Registry.CredentialRequests[LeoToken].ShouldBe(1);
        var provider = await _world.Connection.GetCredentialsProviderAsync(Ct);
        (await provider.GetCredentialsAsync(KateToken, Ct)).AccessKeyId.ShouldBe("AKIAKATE");
        (await provider.GetCredentialsAsync(LeoToken, Ct)).AccessKeyId.ShouldBe("AKIALEO");
        _world.AssertProtocolClean();
    }

    [Fact]
    public async Task OtherUser_CannotSeeOrUseAnothersRegistryOrSource()
    {
        await _world.For(_kate).CreateFromS3Async(Request("kate", 1), null, Ct);
        var leo = _world.For(_leo);

        (await Should.ThrowAsync<QuiltException>(() => leo.ListPackagesAsync(StorageLocation.S3("kate-reg"), Ct))).Kind.ShouldBe(QuiltErrorKind.NotFound);
        (await Should.ThrowAsync<QuiltException>(() => leo.BrowseAsync("kate/p1", StorageLocation.S3("kate-reg"), null, Ct))).Kind.ShouldBe(QuiltErrorKind.NotFound);
        (await Should.ThrowAsync<QuiltException>(() => leo.CreateFromS3Async(Request("kate", 2) with { TargetRegistry = StorageLocation.S3("leo-reg") }, null, Ct))).Kind.ShouldBe(QuiltErrorKind.NotFound);
        (await Should.ThrowAsync<QuiltException>(() => leo.GetObjectInfoAsync(StorageLocation.Parse("s3://kate-src/d/k1.txt"), Ct))).Kind.ShouldBe(QuiltErrorKind.AccessDenied);
        (await Should.ThrowAsync<QuiltException>(() => leo.CreateFromS3Async(Request("leo", 3) with { TargetRegistry = StorageLocation.S3("kate-reg") }, null, Ct))).Kind.ShouldBe(QuiltErrorKind.AccessDenied);
        _world.Registry.Latest("kate-reg", "leo/p3").ShouldBeNull();
    }

    [Fact]
    public async Task Tokens_NeverAppearInLogsMessagesOrPrintedValues()
    {
        var kate = _world.For(_kate);
        var texts = new List<string>();
        await kate.CreateFromS3Async(Request("kate", 1), null, Ct);
        await kate.CreateFromS3Async(Request("kate", 2) with { Copy = CopyMode.All }, null, Ct);
        _world.Registry.PromoteAllowed = false;
        texts.Add((await Should.ThrowAsync<QuiltException>(() => kate.CreateFromS3Async(Request("kate", 3) with { Copy = CopyMode.All }, null, Ct))).ToString());
        _world.Registry.Script("packages", new ScriptedAnswer.Http(401));
        texts.Add((await Should.ThrowAsync<QuiltException>(() => kate.ListPackagesAsync(StorageLocation.S3("kate-reg"), Ct))).ToString());
        _world.Registry.Script("packages", new ScriptedAnswer.Http(500));
        texts.Add((await Should.ThrowAsync<QuiltException>(() => kate.ListPackagesAsync(StorageLocation.S3("kate-reg"), Ct))).ToString());
        texts.Add((await Should.ThrowAsync<QuiltException>(() => _world.Connection.ForToken("unknown-SECRET-TOKEN").ListPackagesAsync(StorageLocation.S3("kate-reg"), Ct))).ToString());
        texts.Add((await Should.ThrowAsync<QuiltException>(() => _world.Connection.ForToken("unknown-SECRET-TOKEN").GetObjectInfoAsync(StorageLocation.Parse("s3://kate-src/d/k1.txt"), Ct))).ToString());
        texts.Add((await kate.GetUploadUrlAsync(StorageLocation.Parse("s3://kate-reg/u.txt"), TimeSpan.FromMinutes(5), Ct)).ToString());
        texts.Add(_world.Connection.Options.ToString());
        texts.Add((await (await _world.Connection.GetCredentialsProviderAsync(Ct)).GetCredentialsAsync(KateToken, Ct)).ToString());
        texts.Add(new CatalogOptions { Token = KateToken }.ToString());
        texts.Add(kate.ToString()!);

        _world.Logs.Lines.ShouldNotBeEmpty();
        foreach (var text in texts.Concat(_world.Logs.Lines))
        {
            text.ShouldNotContain("SECRET-TOKEN");
            text.ShouldNotContain("secret-kate");
            text.ShouldNotContain("session-kate");
        }
    }
}
