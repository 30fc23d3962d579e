using Quilt.Testing;
using Quilt.Catalog.Internal;
using Quilt.Catalog.Tests.Fakes;
using Quilt.Catalog.Tests.TestRegistry;
using Quilt.Core.Errors;

namespace Quilt.Catalog.Tests;

/// <summary>Temporary credentials from the registry, cached per token and shared by concurrent callers of one token only.</summary>
public sealed class CatalogCredentialsProviderTests(GraphQLValidator validator) : IAsyncLifetime
{
    private FakeRegistry _registry = null!;
    private HttpClient _http = null!;
    private RegistryUser _dave = null!;
    private RegistryUser _erin = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _registry = await FakeRegistry.StartAsync(validator);
        _dave = _registry.AddUser("dave-token", "dave", "b");
        _erin = _registry.AddUser("erin-token", "erin", "b");
        _http = new HttpClient();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _registry.DisposeAsync();
    }

    private CatalogCredentialsProvider Provider(TimeProvider? clock = null) => new(_http, _registry.Url, clock);

    [Fact]
    public async Task GetCredentials_SecondCall_ServedFromCache()
    {
        var provider = Provider();

        var first = await provider.GetCredentialsAsync(_dave.Token, Ct);
        var second = await provider.GetCredentialsAsync(" " + _dave.Token + " ", Ct);

        first.AccessKeyId.ShouldBe("AKIADAVE");
        first.SecretAccessKey.ShouldBe("secret-dave");
        first.SessionToken.ShouldBe("session-dave-1");
        first.Expiration.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(50));
        second.ShouldBeSameAs(first);
        _registry.CredentialRequests[_dave.Token].ShouldBe(1);
        provider.Endpoint.ShouldBe(new Uri(_registry.Url, "/api/auth/get_credentials"));
    }

    [Fact]
    public async Task GetCredentials_ConcurrentCallersOfOneToken_ShareOneRequest()
    {
        var provider = Provider();
        _registry.CredentialsDelay = TimeSpan.FromMilliseconds(300);

        var all = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => provider.GetCredentialsAsync(_dave.Token, Ct)));

        all.Distinct().Count().ShouldBe(1);
        _registry.CredentialRequests[_dave.Token].ShouldBe(1);
    }

    [Fact]
    public async Task GetCredentials_TwoTokens_NeverShare()
    {
        var provider = Provider();
        _registry.CredentialsDelay = TimeSpan.FromMilliseconds(100);

        var results = await Task.WhenAll(
            Enumerable.Range(0, 10).Select(i => provider.GetCredentialsAsync(i % 2 == 0 ? _dave.Token : _erin.Token, Ct)));

        results.Where((_, i) => i % 2 == 0).ShouldAllBe(c => c.AccessKeyId == "AKIADAVE");
        results.Where((_, i) => i % 2 == 1).ShouldAllBe(c => c.AccessKeyId == "AKIAERIN");
        _registry.CredentialRequests[_dave.Token].ShouldBe(1);
        _registry.CredentialRequests[_erin.Token].ShouldBe(1);
        provider.CachedTokenCount.ShouldBe(2);
    }

    [Fact]
    public async Task GetCredentials_NearExpiry_Refreshes()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var provider = Provider(clock);
        var first = await provider.GetCredentialsAsync(_dave.Token, Ct);

        clock.Advance(first.Expiration - clock.Now - TimeSpan.FromMinutes(6));
        (await provider.GetCredentialsAsync(_dave.Token, Ct)).ShouldBeSameAs(first);
        clock.Advance(TimeSpan.FromMinutes(2));
        var renewed = await provider.GetCredentialsAsync(_dave.Token, Ct);

        renewed.SessionToken.ShouldBe("session-dave-2");
        _registry.CredentialRequests[_dave.Token].ShouldBe(2);
    }

    [Fact]
    public async Task GetCredentials_ShortLived_RenewedAtHalfLife()
    {
        _registry.CredentialLifetime = TimeSpan.FromMinutes(4);
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var provider = Provider(clock);
        var first = await provider.GetCredentialsAsync(_dave.Token, Ct);

        clock.Advance(TimeSpan.FromMinutes(1));
        (await provider.GetCredentialsAsync(_dave.Token, Ct)).ShouldBeSameAs(first);
        clock.Advance(TimeSpan.FromMinutes(2));
        (await provider.GetCredentialsAsync(_dave.Token, Ct)).ShouldNotBeSameAs(first);
    }

    [Fact]
    public async Task InvalidateRejected_StillCached_NextCallFetchesNewOnes()
    {
        var provider = Provider();
        var first = await provider.GetCredentialsAsync(_dave.Token, Ct);

        provider.Invalidate(_dave.Token, first with { Expiration = first.Expiration.AddDays(1) });
        var renewed = await provider.GetCredentialsAsync(_dave.Token, Ct);

        renewed.SessionToken.ShouldBe("session-dave-2");
        (await provider.GetCredentialsAsync(_dave.Token, Ct)).ShouldBeSameAs(renewed);
        _registry.CredentialRequests[_dave.Token].ShouldBe(2);
    }

    [Fact]
    public async Task InvalidateRejected_AlreadyRenewed_LeavesTheNewSetAlone()
    {
        var provider = Provider();
        var first = await provider.GetCredentialsAsync(_dave.Token, Ct);
        provider.Invalidate(_dave.Token, first);
        var renewed = await provider.GetCredentialsAsync(_dave.Token, Ct);

        // Late refusals of the first set (requests that were in flight) must not throw the renewed set away.
        provider.Invalidate(_dave.Token, first);
        provider.Invalidate(_dave.Token, first with { SessionToken = "session-dave-other" });
        provider.Invalidate(_dave.Token, first with { AccessKeyId = "AKIAOTHER", SessionToken = renewed.SessionToken });

        (await provider.GetCredentialsAsync(_dave.Token, Ct)).ShouldBeSameAs(renewed);
        _registry.CredentialRequests[_dave.Token].ShouldBe(2);
    }

    [Fact]
    public async Task InvalidateRejected_OtherOrUnknownOrBlankToken_ChangesNothing()
    {
        var provider = Provider();
        var dave = await provider.GetCredentialsAsync(_dave.Token, Ct);

        provider.Invalidate(_erin.Token, dave);
        provider.Invalidate("never-seen-token", dave);
        provider.Invalidate("  ", dave);
        Should.Throw<ArgumentNullException>(() => provider.Invalidate(_dave.Token, null!));

        (await provider.GetCredentialsAsync(_dave.Token, Ct)).ShouldBeSameAs(dave);
        _registry.CredentialRequests[_dave.Token].ShouldBe(1);
        _registry.CredentialRequests.ContainsKey(_erin.Token).ShouldBeFalse();
    }

    [Theory]
    [InlineData(401, QuiltErrorKind.AccessDenied)]
    [InlineData(403, QuiltErrorKind.AccessDenied)]
    [InlineData(404, QuiltErrorKind.NotFound)]
    [InlineData(429, QuiltErrorKind.Throttled)]
    [InlineData(500, QuiltErrorKind.Transient)]
    [InlineData(400, QuiltErrorKind.InvalidInput)]
    public async Task GetCredentials_HttpFailure_MapsToKind(int status, QuiltErrorKind kind)
    {
        _registry.CredentialsFailureStatus = status;

        var error = await Should.ThrowAsync<QuiltException>(() => Provider().GetCredentialsAsync(_dave.Token, Ct));

        error.Kind.ShouldBe(kind);
        error.Message.ShouldNotContain(_dave.Token);
    }

    [Fact]
    public async Task GetCredentials_UnknownToken_TokenRejected()
    {
        var error = await Should.ThrowAsync<QuiltException>(() => Provider().GetCredentialsAsync("stale-token-xyz", Ct));

        error.Kind.ShouldBe(QuiltErrorKind.AccessDenied);
        error.Message.ShouldBe("The catalog token was rejected (HTTP 401 from the registry's credentials endpoint).");
        error.Hint.ShouldBe("Log in to the catalog again and pass a fresh QUILT_JWT (or Authorization header).");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"S\", \"SessionToken\": \"T\"}")]
    [InlineData("{\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"S\", \"SessionToken\": \"T\", \"Expiration\": \"soon\"}")]
    [InlineData("{\"SecretAccessKey\": \"S\", \"SessionToken\": \"T\", \"Expiration\": \"2030-01-01T00:00:00Z\"}")]
    [InlineData("[]")]
    public async Task GetCredentials_MalformedAnswer_Transient(string body)
    {
        _registry.CredentialsBody = body;

        var error = await Should.ThrowAsync<QuiltException>(() => Provider().GetCredentialsAsync(_dave.Token, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.Transient);
    }

    [Fact]
    public async Task GetCredentials_SlowRegistry_Transient()
    {
        using var impatient = new HttpClient { Timeout = TimeSpan.FromMilliseconds(200) };
        _registry.CredentialsDelay = TimeSpan.FromSeconds(5);

        var error = await Should.ThrowAsync<QuiltException>(() => new CatalogCredentialsProvider(impatient, _registry.Url).GetCredentialsAsync(_dave.Token, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.Transient);
        error.Message.ShouldContain("in time");
    }

    [Fact]
    public async Task GetCredentials_Unreachable_Transient()
    {
        var error = await Should.ThrowAsync<QuiltException>(() => new CatalogCredentialsProvider(_http, new Uri("http://127.0.0.1:1/")).GetCredentialsAsync(_dave.Token, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.Transient);
        error.Message.ShouldContain("Could not reach");
    }

    [Fact]
    public async Task GetCredentials_FailureIsNotCached()
    {
        var provider = Provider();
        _registry.CredentialsFailureStatus = 503;
        await Should.ThrowAsync<QuiltException>(() => provider.GetCredentialsAsync(_dave.Token, Ct));
        _registry.CredentialsFailureStatus = null;

        var credentials = await provider.GetCredentialsAsync(_dave.Token, Ct);

        credentials.AccessKeyId.ShouldBe("AKIADAVE");
        _registry.CredentialRequests[_dave.Token].ShouldBe(2);
    }

    [Fact]
    public async Task Invalidate_ForgetsCachedCredentials()
    {
        var provider = Provider();
        await provider.GetCredentialsAsync(_dave.Token, Ct);

        provider.Invalidate(_dave.Token);
        provider.Invalidate("");
        await provider.GetCredentialsAsync(_dave.Token, Ct);

        _registry.CredentialRequests[_dave.Token].ShouldBe(2);
    }

    [Fact]
    public async Task GetCredentials_OneCallerCancels_OthersStillGetTheSharedFetch()
    {
        var provider = Provider();
        _registry.CredentialsDelay = TimeSpan.FromMilliseconds(500);
        using var cancel = new CancellationTokenSource();
        var cancelled = provider.GetCredentialsAsync(_dave.Token, cancel.Token);
        var patient = provider.GetCredentialsAsync(_dave.Token, Ct);

        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => cancelled);
        (await patient).AccessKeyId.ShouldBe("AKIADAVE");
        _registry.CredentialRequests[_dave.Token].ShouldBe(1);
    }

    [Fact]
    public async Task GetCredentials_ManyExpiredTokens_ArePruned()
    {
        _registry.CredentialLifetime = TimeSpan.FromMinutes(30);
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var provider = Provider(clock);
        for (var i = 0; i < 300; i++)
        {
            _registry.AddUser($"tok-{i}", $"u{i}", "b");
            await provider.GetCredentialsAsync($"tok-{i}", Ct);
        }

        clock.Advance(TimeSpan.FromHours(2));
        await provider.GetCredentialsAsync("tok-0", Ct);

        provider.CachedTokenCount.ShouldBe(1);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task GetCredentials_BlankToken_AccessDenied(string token)
    {
        var error = await Should.ThrowAsync<QuiltException>(() => Provider().GetCredentialsAsync(token, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.AccessDenied);
    }

    [Fact]
    public void TokenFingerprint_IsSha256HexNotTheToken()
    {
        var key = TokenFingerprint.Of("my-secret-token");

        key.Length.ShouldBe(64);
        key.ShouldAllBe(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c));
        key.ShouldNotContain("secret");
        TokenFingerprint.Of(" my-secret-token ").ShouldBe(key);
        TokenFingerprint.Of("my-secret-token2").ShouldNotBe(key);
    }

    [Fact]
    public void Credentials_ToString_HidesSecrets()
    {
        var credentials = new AwsTemporaryCredentials("AKIAEXAMPLE", "very-secret-key", "session-token-value", DateTimeOffset.UnixEpoch);

        var text = credentials.ToString();

        text.ShouldContain("AKIA****");
        text.ShouldNotContain("very-secret-key");
        text.ShouldNotContain("session-token-value");
        text.ShouldNotContain("AKIAEXAMPLE");
        new AwsTemporaryCredentials("AK", "s", "t", DateTimeOffset.UnixEpoch).ToString().ShouldContain("AccessKeyId = ****");
    }
}
