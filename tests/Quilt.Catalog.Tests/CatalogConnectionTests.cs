using Quilt.Testing;
using Quilt.Catalog.Tests.Fakes;
using Quilt.Catalog.Tests.TestRegistry;
using Quilt.Core.Errors;
using System.Text.Json.Nodes;

namespace Quilt.Catalog.Tests;

/// <summary>Registry discovery from the catalog's config.json, bearer parsing and the per-request factory.</summary>
public sealed class CatalogConnectionTests(GraphQLValidator validator) : IAsyncLifetime
{
    private FakeRegistry _registry = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _registry = await FakeRegistry.StartAsync(validator);

    public async ValueTask DisposeAsync() => await _registry.DisposeAsync();

    private static CatalogConnection Connection(CatalogOptions options) => new(options, new MemoryS3().StoreFor);

    [Fact]
    public async Task GetRegistryUrl_ExplicitRegistry_UsedAsIs()
    {
        using var connection = Connection(new CatalogOptions { RegistryUrl = "https://quilt-registry.example.com", CatalogUrl = "https://quilt.example.com" });

        (await connection.GetRegistryUrlAsync(Ct)).ShouldBe(new Uri("https://quilt-registry.example.com"));
    }

    [Fact]
    public async Task GetRegistryUrl_FromCatalogConfigJson()
    {
        _registry.CatalogConfig = new JsonObject { ["registryUrl"] = "https://quilt-registry.example.com", ["alwaysRequiresAuth"] = true };
        using var connection = Connection(new CatalogOptions { CatalogUrl = _registry.Url.AbsoluteUri });

        (await connection.GetRegistryUrlAsync(Ct)).ShouldBe(new Uri("https://quilt-registry.example.com"));
        (await connection.GetRegistryUrlAsync(Ct)).ShouldBe(new Uri("https://quilt-registry.example.com"));
    }

    [Fact]
    public async Task GetRegistryUrl_RelativeRegistryUrl_ResolvedAgainstCatalog()
    {
        _registry.CatalogConfig = new JsonObject { ["registryUrl"] = "/api/registry" };
        using var connection = Connection(new CatalogOptions { CatalogUrl = _registry.Url.AbsoluteUri });

        (await connection.GetRegistryUrlAsync(Ct)).ShouldBe(new Uri(_registry.Url, "/api/registry"));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"registryUrl\": \"\"}")]
    [InlineData("{\"registryUrl\": \"ftp://x\"}")]
    [InlineData("[1]")]
    public async Task GetRegistryUrl_ConfigWithoutRegistry_NotFoundWithHint(string config)
    {
        _registry.CatalogConfig = JsonNode.Parse(config);
        using var connection = Connection(new CatalogOptions { CatalogUrl = _registry.Url.AbsoluteUri });

        var error = await Should.ThrowAsync<QuiltException>(() => connection.GetRegistryUrlAsync(Ct));

        error.Kind.ShouldBe(QuiltErrorKind.NotFound);
        error.Hint!.ShouldContain("QUILT_REGISTRY_URL");
    }

    [Fact]
    public async Task GetRegistryUrl_NoConfigJson_NotFoundThenRetried()
    {
        using var connection = Connection(new CatalogOptions { CatalogUrl = new Uri(_registry.Url, "/nothing-here/").AbsoluteUri });

        var error = await Should.ThrowAsync<QuiltException>(() => connection.GetRegistryUrlAsync(Ct));

        error.Kind.ShouldBe(QuiltErrorKind.NotFound);
        error.Message.ShouldContain("HTTP 404");
        (await Should.ThrowAsync<QuiltException>(() => connection.GetRegistryUrlAsync(Ct))).Kind.ShouldBe(QuiltErrorKind.NotFound);
    }

    [Fact]
    public async Task GetRegistryUrl_ConfigNotJson_NotFound()
    {
        _registry.CatalogConfigText = "<html>catalog</html>";
        using var connection = Connection(new CatalogOptions { CatalogUrl = _registry.Url.AbsoluteUri });

        var error = await Should.ThrowAsync<QuiltException>(() => connection.GetRegistryUrlAsync(Ct));

        error.Kind.ShouldBe(QuiltErrorKind.NotFound);
        error.Message.ShouldContain("is not JSON");
    }

    [Fact]
    public async Task GetRegistryUrl_CatalogUnreachable_Transient()
    {
        using var connection = Connection(new CatalogOptions { CatalogUrl = "http://127.0.0.1:1" });

        var error = await Should.ThrowAsync<QuiltException>(() => connection.GetRegistryUrlAsync(Ct));

        error.Kind.ShouldBe(QuiltErrorKind.Transient);
        error.Message.ShouldContain("Could not reach the Quilt catalog");
        error.Hint!.ShouldContain("QUILT_REGISTRY_URL");
    }

    [Fact]
    public async Task GetRegistryUrl_NoAddress_InvalidInput()
    {
        using var connection = Connection(new CatalogOptions());

        (await Should.ThrowAsync<QuiltException>(() => connection.GetRegistryUrlAsync(Ct))).Kind.ShouldBe(QuiltErrorKind.InvalidInput);
    }

    [Theory]
    [InlineData("Bearer abc.def", "abc.def")]
    [InlineData("bearer   xyz  ", "xyz")]
    [InlineData("BEARER t", "t")]
    [InlineData("Basic dXNlcjpwdw==", null)]
    [InlineData("Bearer ", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void BearerToken_ParsesAuthorizationHeader(string? header, string? expected) =>
        CatalogConnection.BearerToken(header).ShouldBe(expected);

    [Fact]
    public async Task Factory_WithoutToken_FailsEveryCallWithAccessDenied()
    {
        using var connection = Connection(new CatalogOptions { RegistryUrl = _registry.Url.AbsoluteUri, Token = "server-own-token" });
        var ops = connection.CreateFactory()(null);

        var error = await Should.ThrowAsync<QuiltException>(() => ops.ListPackagesAsync(StorageLocation.S3("reg"), Ct));

        error.Kind.ShouldBe(QuiltErrorKind.AccessDenied);
        error.Hint!.ShouldContain("Authorization: Bearer");
        _registry.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task Factory_WithFallback_UsesConfiguredToken()
    {
        var user = _registry.AddUser("configured-token", "frank", "reg");
        _registry.Seed("reg", "team/p", "m", ("a", "s3://reg/a", 1));
        using var connection = Connection(new CatalogOptions { RegistryUrl = _registry.Url.AbsoluteUri, Token = user.Token });

        var list = await connection.CreateFactory(fallbackToConfiguredToken: true)(null).ListPackagesAsync(StorageLocation.S3("reg"), Ct);

        list.Packages.ShouldHaveSingleItem().PackageName.ShouldBe("team/p");
        _registry.Calls.ShouldAllBe(c => c.Token == user.Token);
    }

    [Fact]
    public async Task Factory_RequestTokenWinsOverConfiguredToken()
    {
        var caller = _registry.AddUser("caller-token", "gina", "reg");
        _registry.AddUser("configured-token", "frank", "reg");
        using var connection = Connection(new CatalogOptions { RegistryUrl = _registry.Url.AbsoluteUri, Token = "configured-token" });

        await connection.CreateFactory(fallbackToConfiguredToken: true)(caller.Token).ListPackagesAsync(StorageLocation.S3("reg"), Ct);

        _registry.Calls.ShouldAllBe(c => c.Token == caller.Token);
    }

    [Fact]
    public async Task DefaultStoreFactory_SignsWithTheTemporaryCredentials()
    {
        var user = _registry.AddUser("h-token", "hank", "reg");
        using var connection = new CatalogConnection(new CatalogOptions { RegistryUrl = _registry.Url.AbsoluteUri, S3ServiceUrl = "http://127.0.0.1:9", Region = "eu-west-1" });

        var url = await connection.ForToken(user.Token).GetUploadUrlAsync(StorageLocation.Parse("s3://reg/in/file.csv"), TimeSpan.FromMinutes(5), Ct);

        url.UploadUrl.ShouldStartWith("http://127.0.0.1:9/reg/in/file.csv?");
        url.UploadUrl.ShouldContain("AKIAHANK");
        url.UploadUrl.ShouldContain("eu-west-1");
        url.UploadUrl.ShouldContain("X-Amz-Security-Token=session-hank-1");
    }

    [Fact]
    public async Task GetStore_OneStorePerToken_KeptAcrossRenewals_ForgottenWhenIdle()
    {
        var kim = _registry.AddUser("kim-token", "kim", "reg");
        var lou = _registry.AddUser("lou-token", "lou", "reg");
        var s3 = new MemoryS3();
        s3.CreateBucket("reg", versioned: true, kim.AccessKeyId, lou.AccessKeyId);
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        using var connection = new CatalogConnection(new CatalogOptions { RegistryUrl = _registry.Url.AbsoluteUri }, s3.StoreFor, clock: clock);

        var first = (MemoryObjectStore)await connection.GetStoreAsync(kim.Token, Ct);
        (await connection.GetStoreAsync(" " + kim.Token + " ", Ct)).ShouldBeSameAs(first);
        var other = (MemoryObjectStore)await connection.GetStoreAsync(lou.Token, Ct);
        await first.GetBucketInfoAsync("reg", Ct);
        await other.GetBucketInfoAsync("reg", Ct);
        clock.Advance(TimeSpan.FromMinutes(56)); // the first set is now within the refresh margin
        (await connection.GetStoreAsync(kim.Token, Ct)).ShouldBeSameAs(first);
        await first.GetBucketInfoAsync("reg", Ct);
        clock.Advance(CatalogConnection.StoreIdleLimit + TimeSpan.FromMinutes(1));
        (await connection.GetStoreAsync(kim.Token, Ct)).ShouldBeSameAs(first);
        var lousNext = await connection.GetStoreAsync(lou.Token, Ct);

        other.ShouldNotBeSameAs(first);
        first.User.Fingerprint.ShouldNotBe(other.User.Fingerprint);
        first.Used.Select(c => c.SessionToken).ShouldBe(["session-kim-1", "session-kim-2"]);
        other.Used.Select(c => c.SessionToken).ShouldBe(["session-lou-1"]);
        lousNext.ShouldNotBeSameAs(other);
        s3.StoresCreated.Count.ShouldBe(3);
        first.User.ToString().ShouldNotContain("kim-token");
        (await connection.GetCredentialsProviderAsync(Ct)).ShouldBeSameAs(await connection.GetCredentialsProviderAsync(Ct));
    }

    [Fact]
    public async Task GetStore_FactoryFails_NextCallTriesAgain()
    {
        var user = _registry.AddUser("mia-token", "mia", "reg");
        var s3 = new MemoryS3();
        var calls = 0;
        using var connection = new CatalogConnection(
            new CatalogOptions { RegistryUrl = _registry.Url.AbsoluteUri },
            credentials => ++calls == 1 ? throw QuiltException.InvalidInput("The S3 endpoint is not an http(s) URL.") : s3.StoreFor(credentials));

        (await Should.ThrowAsync<QuiltException>(() => connection.GetStoreAsync(user.Token, Ct))).Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        var store = await connection.GetStoreAsync(user.Token, Ct);

        (await connection.GetStoreAsync(user.Token, Ct)).ShouldBeSameAs(store);
        calls.ShouldBe(2);
    }

    [Fact]
    public async Task DefaultStoreFactory_BadEndpoint_InvalidInputFromEveryCall()
    {
        var user = _registry.AddUser("ned-token", "ned", "reg");
        using var connection = new CatalogConnection(new CatalogOptions { RegistryUrl = _registry.Url.AbsoluteUri, S3ServiceUrl = "ftp://example.com" });
        var ops = connection.ForToken(user.Token);

        (await Should.ThrowAsync<QuiltException>(() => ops.ListObjectsAsync(StorageLocation.S3("reg"), null, 10, null, Ct))).Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        (await Should.ThrowAsync<QuiltException>(() => ops.ListObjectsAsync(StorageLocation.S3("reg"), null, 10, null, Ct))).Kind.ShouldBe(QuiltErrorKind.InvalidInput);
    }
}
