using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Quilt.Testing;
using Quilt.Testing.Registry;
using static QuiltMcp.Tests.Process.CatalogHttpWorld;

namespace QuiltMcp.Tests.Process;

/// <summary>
/// One catalog-mode HTTP server, several catalog users: each session acts with the token of its initialize request
/// only, users never see each other's temporary credentials or packages, a session cannot be borrowed with another
/// token, a caller without a token never acts as the server's own user, and no token or secret is ever printed.
/// </summary>
public sealed class McpCatalogHttpIsolationTests(GraphQLValidator validator, MotoFixture moto) : IClassFixture<GraphQLValidator>, IAsyncLifetime
{
    private const int PackagesPerUser = 3;
    private CatalogHttpWorld _world = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _world = await CatalogHttpWorld.StartAsync(validator, moto.Server, Ct);
        await _world.SeedAsync(_world.KateSource, "k", 5, Ct);
        await _world.SeedAsync(_world.LeoSource, "l", 4, Ct);
    }

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    private static Dictionary<string, object?> Create(string user, string source, string registry, int n) => new()
    {
        ["source_bucket"] = source,
        ["source_prefix"] = "data/",
        ["package_name"] = $"{user}/p{n}",
        ["target_registry"] = registry,
        ["message"] = $"{user} {n}",
        ["copy"] = "none",
    };

    private static HttpRequestMessage Post(Uri endpoint, string sessionId, string? authorization, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("Mcp-Session-Id", sessionId);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return request;
    }

    [Fact]
    public async Task TwoClientsWithDifferentTokens_Concurrently_EachSeesOnlyItsOwnCredentialsAndPackages()
    {
        _world.Registry.CredentialsDelay = TimeSpan.FromMilliseconds(300); // both users' first requests wait for credentials together
        var clients = await Task.WhenAll(_world.Server.ConnectAsync(KateToken, Ct), _world.Server.ConnectAsync(LeoToken, Ct));
        await using var kate = clients[0];
        await using var leo = clients[1];
        kate.SessionId.ShouldNotBe(leo.SessionId);

        var work = Enumerable.Range(0, PackagesPerUser).SelectMany(n => new[]
        {
            _world.CallAsync(kate, "package_create_from_s3", Create("kate", _world.KateSource, _world.KateRegistry, n), Ct),
            _world.CallAsync(leo, "package_create_from_s3", Create("leo", _world.LeoSource, _world.LeoRegistry, n), Ct),
        }).ToList();
        var results = await Task.WhenAll(work);

        results.ShouldAllBe(r => r.IsError != true, string.Join("\n", results.Select(Text)));
        foreach (var (user, client, registry, source, entries) in new[] { ("kate", kate, _world.KateRegistry, _world.KateSource, 5), ("leo", leo, _world.LeoRegistry, _world.LeoSource, 4) })
        {
            var own = results.Select(r => r.StructuredContent!.Value).Where(s => s.GetProperty("package_name").GetString()!.StartsWith(user + "/", StringComparison.Ordinal)).ToList();
            own.Count.ShouldBe(PackagesPerUser);
            own.ShouldAllBe(s => s.GetProperty("registry").GetString() == "s3://" + registry && s.GetProperty("entries").GetInt64() == entries);
            var list = await _world.CallAsync(client, "package_list", new() { ["registry"] = registry }, Ct);
            list.StructuredContent!.Value.GetProperty("packages").EnumerateArray().Select(p => p.GetProperty("package_name").GetString())
                .ShouldBe(Enumerable.Range(0, PackagesPerUser).Select(n => $"{user}/p{n}"));
            foreach (var construct in _world.Registry.CallsTo("packageConstruct").Where(c => c.User == user))
            {
                construct.Args["params"]!["bucket"]!.GetValue<string>().ShouldBe(registry);
                construct.Args["src"]!["entries"]!.AsArray().ShouldAllBe(e => e!["physicalKey"]!.GetValue<string>().StartsWith($"s3://{source}/", StringComparison.Ordinal));
            }
        }

        // The registry saw each user only with that user's token, and only for that user's buckets.
        _world.Registry.Calls.ShouldAllBe(c => (c.User == "kate" && c.Token == KateToken) || (c.User == "leo" && c.Token == LeoToken));
        foreach (var call in _world.Registry.Calls)
        {
            var bucket = call.Args["params"]?["bucket"]?.GetValue<string>() ?? call.Args["bucket"]?.GetValue<string>();
            bucket.ShouldBe(call.User == "kate" ? _world.KateRegistry : _world.LeoRegistry);
        }

        // One credentials request per token, and every S3 request signed with its own user's temporary credentials.
        _world.Registry.CredentialRequests.Keys.Order(StringComparer.Ordinal).ShouldBe(new[] { KateToken, LeoToken }.Order(StringComparer.Ordinal));
        _world.Registry.CredentialRequests.Values.ShouldAllBe(n => n == 1);
        var s3 = _world.Gate.Calls.ToList();
        s3.ShouldAllBe(c => c.Allowed);
        s3.Where(c => c.Bucket == _world.KateSource).ShouldAllBe(c => c.AccessKeyId == _world.Kate.AccessKeyId && c.SessionToken == "session-kate-1");
        s3.Where(c => c.Bucket == _world.LeoSource).ShouldAllBe(c => c.AccessKeyId == _world.Leo.AccessKeyId && c.SessionToken == "session-leo-1");
        s3.Select(c => c.Bucket).Distinct().Order(StringComparer.Ordinal).ShouldBe(new[] { _world.KateSource, _world.LeoSource }.Order(StringComparer.Ordinal));
        _world.AssertProtocolClean();
        _world.AssertNoSecrets();
    }

    [Fact]
    public async Task OneUser_CannotReachAnothersPackagesOrData()
    {
        await using var kate = await _world.Server.ConnectAsync(KateToken, Ct);
        await using var leo = await _world.Server.ConnectAsync(LeoToken, Ct);
        var created = await _world.CallAsync(kate, "package_create_from_s3", Create("kate", _world.KateSource, _world.KateRegistry, 1), Ct);
        created.IsError.ShouldNotBe(true, Text(created));

        var list = await _world.CallAsync(leo, "package_list", new() { ["registry"] = _world.KateRegistry }, Ct);
        var browse = await _world.CallAsync(leo, "package_browse", new() { ["package_name"] = "kate/p1", ["registry"] = _world.KateRegistry }, Ct);
        var info = await _world.CallAsync(leo, "bucket_object_info", new() { ["uri"] = $"s3://{_world.KateSource}/data/k1.txt" }, Ct);
        var objects = await _world.CallAsync(leo, "bucket_objects_list", new() { ["bucket"] = _world.KateSource }, Ct);
        var fromKatesData = await _world.CallAsync(leo, "package_create_from_s3", Create("leo", _world.KateSource, _world.LeoRegistry, 9), Ct);
        var intoKatesRegistry = await _world.CallAsync(leo, "package_create_from_s3", Create("leo", _world.LeoSource, _world.KateRegistry, 8), Ct);

        foreach (var (result, kind) in new[] { (list, "NotFound"), (browse, "NotFound"), (info, "AccessDenied"), (objects, "AccessDenied"), (fromKatesData, "AccessDenied"), (intoKatesRegistry, "AccessDenied") })
        {
            result.IsError.ShouldBe(true, Text(result));
            Text(result).ShouldContain("Next step:");
            Text(result).ShouldNotContain("AWS_PROFILE");
            result.StructuredContent!.Value.GetProperty("error").GetProperty("kind").GetString().ShouldBe(kind, Text(result));
        }

        _world.Registry.Latest(_world.KateRegistry, "leo/p8").ShouldBeNull();
        _world.Registry.Latest(_world.LeoRegistry, "leo/p9").ShouldBeNull();
        _world.Gate.Calls.Where(c => !c.Allowed).ShouldAllBe(c => c.AccessKeyId == _world.Leo.AccessKeyId && c.Bucket == _world.KateSource);
        _world.Gate.Calls.Where(c => c.Bucket == _world.KateSource && c.Allowed).ShouldAllBe(c => c.AccessKeyId == _world.Kate.AccessKeyId);

        var own = await _world.CallAsync(kate, "package_browse", new() { ["package_name"] = "kate/p1", ["registry"] = _world.KateRegistry }, Ct);
        own.IsError.ShouldNotBe(true, Text(own));
        _world.AssertProtocolClean();
        _world.AssertNoSecrets();
    }

    [Fact]
    public async Task SessionOfOneToken_RequestsWithAnotherTokenOrNone_Get403AndTheSessionLivesOn()
    {
        await using var kate = await _world.Server.ConnectAsync(KateToken, Ct);
        var sessionId = kate.SessionId.ShouldNotBeNull();
        using var http = new HttpClient();
        var toolsList = """{"jsonrpc":"2.0","id":99,"method":"tools/list","params":{}}""";
        var call = """{"jsonrpc":"2.0","id":100,"method":"tools/call","params":{"name":"package_list","arguments":{"registry":"REGISTRY"}}}""".Replace("REGISTRY", _world.KateRegistry, StringComparison.Ordinal);
        var bodies = new List<string>();

        foreach (var (authorization, body) in new[] { ("Bearer " + LeoToken, toolsList), ("Bearer " + LeoToken, call), (null, call), ("Basic " + KateToken, call), ("Bearer " + KateToken + "x", call) })
        {
            using var request = Post(_world.Server.Endpoint, sessionId, authorization, body);
            using var response = await http.SendAsync(request, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            bodies.Add(await response.Content.ReadAsStringAsync(Ct));
        }

        using (var get = new HttpRequestMessage(HttpMethod.Get, _world.Server.Endpoint))
        {
            get.Headers.Accept.ParseAdd("text/event-stream");
            get.Headers.Add("Mcp-Session-Id", sessionId);
            get.Headers.Authorization = new AuthenticationHeaderValue("Bearer", LeoToken);
            using var response = await http.SendAsync(get, HttpCompletionOption.ResponseHeadersRead, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            bodies.Add(await response.Content.ReadAsStringAsync(Ct));
        }

        using (var delete = new HttpRequestMessage(HttpMethod.Delete, _world.Server.Endpoint))
        {
            delete.Headers.Add("Mcp-Session-Id", sessionId);
            delete.Headers.Authorization = new AuthenticationHeaderValue("Bearer", LeoToken);
            using var response = await http.SendAsync(delete, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            bodies.Add(await response.Content.ReadAsStringAsync(Ct));
        }

        bodies.ShouldAllBe(b => b.Contains("does not match the user who initiated the session", StringComparison.Ordinal));
        _world.ResultTexts.Enqueue(string.Join("\n", bodies));
        _world.Registry.Calls.ShouldBeEmpty();
        _world.Registry.CredentialRequests.ShouldBeEmpty();

        var list = await _world.CallAsync(kate, "package_list", new() { ["registry"] = _world.KateRegistry }, Ct);
        list.IsError.ShouldNotBe(true, Text(list));
        _world.Registry.Calls.ShouldNotBeEmpty();
        _world.Registry.Calls.ShouldAllBe(c => c.Token == KateToken);
        _world.AssertNoSecrets();
    }

    [Fact]
    public async Task ClientWithoutToken_IsDeniedAndTheServersOwnTokenIsNeverUsed()
    {
        await using var anonymous = await _world.Server.ConnectAsync(token: null, Ct);

        var create = await _world.CallAsync(anonymous, "package_create_from_s3", Create("kate", _world.KateSource, _world.KateRegistry, 1), Ct);
        var list = await _world.CallAsync(anonymous, "package_list", new() { ["registry"] = _world.KateRegistry }, Ct);
        var objects = await _world.CallAsync(anonymous, "bucket_objects_list", new() { ["bucket"] = _world.KateSource }, Ct);

        foreach (var result in new[] { create, list, objects })
        {
            result.IsError.ShouldBe(true, Text(result));
            Text(result).ShouldContain("No Quilt catalog token was given. Next step: Log in to the catalog and pass its token");
            Text(result).ShouldContain("'Authorization: Bearer <token>' header over HTTP");
            result.StructuredContent!.Value.GetProperty("error").GetProperty("kind").GetString().ShouldBe("AccessDenied");
        }

        _world.Registry.Calls.ShouldBeEmpty();
        _world.Registry.CredentialRequests.ShouldBeEmpty();
        _world.Gate.Calls.ShouldBeEmpty();
        _world.Registry.Latest(_world.KateRegistry, "kate/p1").ShouldBeNull();
        _world.AssertNoSecrets();
    }

    [Fact]
    public async Task Tokens_NeverAppearInServerOutputOrToolResults()
    {
        await _world.SeedKateAsync(Ct);
        await using var kate = await _world.Server.ConnectAsync(KateToken, Ct);
        await using var leo = await _world.Server.ConnectAsync(LeoToken, Ct);
        await using var stranger = await _world.Server.ConnectAsync("eyJhbGciOiJIUzI1NiJ9.STRANGER-SECRET-TOKEN.c2ln", Ct);
        var results = new List<CallToolResult>
        {
            await _world.CallAsync(kate, "package_create_from_s3", Create("kate", _world.KateSource, _world.KateRegistry, 1), Ct),
            await _world.CallAsync(kate, "package_create_from_s3", Create("kate", _world.KateSource, _world.KateRegistry, 2), Ct),
            await _world.CallAsync(kate, "bucket_object_info", new() { ["uri"] = $"s3://{_world.KateSource}/data/a.csv" }, Ct),
            await _world.CallAsync(kate, "bucket_objects_list", new() { ["bucket"] = _world.KateSource, ["prefix"] = "data/" }, Ct),
            await _world.CallAsync(kate, "bucket_object_upload_url", new() { ["bucket"] = _world.KateRegistry, ["key"] = "uploads/x.txt" }, Ct),
            await _world.CallAsync(leo, "package_browse", new() { ["package_name"] = "kate/p1", ["registry"] = _world.KateRegistry }, Ct),
            await _world.CallAsync(stranger, "package_list", new() { ["registry"] = _world.KateRegistry }, Ct),
        };
        _world.Registry.Script("packages", new ScriptedAnswer.Http(401));
        results.Add(await _world.CallAsync(kate, "package_list", new() { ["registry"] = _world.KateRegistry }, Ct));
        _world.Registry.Script("packages", new ScriptedAnswer.Http(500));
        results.Add(await _world.CallAsync(kate, "package_list", new() { ["registry"] = _world.KateRegistry }, Ct));

        results.Take(5).ShouldAllBe(r => r.IsError != true);
        results.Skip(5).ShouldAllBe(r => r.IsError == true);
        var upload = results[4].StructuredContent!.Value.GetProperty("upload_url").GetString()!;
        upload.ShouldContain("X-Amz-Credential=" + _world.Kate.AccessKeyId);
        upload.ShouldContain("X-Amz-Security-Token=session-kate-1");
        _world.ResultTexts.ShouldNotBeEmpty();
        _world.Server.Output.ShouldContain(l => l.Contains("quilt-mcp: serving MCP (streamable HTTP, catalog mode)", StringComparison.Ordinal));
        _world.Server.Output.ShouldContain(l => l.Contains("Tool package_list failed: AccessDenied", StringComparison.Ordinal));
        _world.Server.Output.ShouldContain(l => l.Contains("Catalog mode: registry constructed kate/p1", StringComparison.Ordinal));

        _world.AssertNoSecrets();
        _world.AssertProtocolClean();
    }
}
