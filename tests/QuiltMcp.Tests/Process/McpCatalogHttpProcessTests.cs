using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using Quilt.Core.Hashing;
using Quilt.Testing;
using Quilt.Testing.Registry;
using static QuiltMcp.Tests.Process.CatalogHttpWorld;

namespace QuiltMcp.Tests.Process;

/// <summary>
/// The real <c>quilt-mcp serve --mode catalog --http</c> process, holding no AWS credentials, creating packages for a
/// catalog user through the test registry (GraphQL validated against schema.graphql) and reading S3 (moto) with the
/// temporary credentials the registry hands out; every registry and credentials failure arrives as an isError result.
/// </summary>
public sealed class McpCatalogHttpProcessTests(GraphQLValidator validator, MotoFixture moto) : IClassFixture<GraphQLValidator>, IAsyncLifetime
{
    private CatalogHttpWorld _world = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _world = await CatalogHttpWorld.StartAsync(validator, moto.Server, Ct);

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    private Dictionary<string, object?> CreateArguments(string packageName = "kate/data", string? registry = null, string? source = null) => new()
    {
        ["source_bucket"] = source ?? _world.KateSource,
        ["source_prefix"] = "data/",
        ["package_name"] = packageName,
        ["target_registry"] = "s3://" + (registry ?? _world.KateRegistry),
        ["exclude_patterns"] = new[] { "*.tmp" },
        ["metadata"] = Json("""{"project": "e2e", "n": 3}"""),
        ["message"] = "made over http",
        ["copy"] = "none",
    };

    private static JsonObject Entry(JsonArray entries, string logicalKey) =>
        entries.Single(e => e!["logicalKey"]!.GetValue<string>() == logicalKey)!.AsObject();

    [Fact]
    public async Task PackageCreateFromS3_CatalogModeOverHttp_RegistryGetsTheEntriesAndBrowseReadsThemBack()
    {
        var versions = await _world.SeedKateAsync(Ct);
        await using var kate = await _world.Server.ConnectAsync(KateToken, Ct);

        var created = await _world.CallAsync(kate, "package_create_from_s3", CreateArguments(), Ct);

        created.IsError.ShouldNotBe(true, Text(created));
        var topHash = _world.Registry.Latest(_world.KateRegistry, "kate/data").ShouldNotBeNull();
        var result = created.StructuredContent!.Value;
        result.GetProperty("package_name").GetString().ShouldBe("kate/data");
        result.GetProperty("registry").GetString().ShouldBe("s3://" + _world.KateRegistry);
        result.GetProperty("top_hash").GetString().ShouldBe(topHash);
        result.GetProperty("uri").GetString().ShouldBe($"quilt+s3://{_world.KateRegistry}#package=kate/data@{topHash}");
        result.GetProperty("catalog_url").GetString().ShouldBe($"{CatalogUrl}/b/{_world.KateRegistry}/packages/kate/data/tree/{topHash}");
        result.GetProperty("entries").GetInt64().ShouldBe(2);
        result.GetProperty("total_bytes").GetInt64().ShouldBe(8 + 13);
        result.GetProperty("objects_referenced").GetInt64().ShouldBe(2);
        result.GetProperty("objects_copied").GetInt64().ShouldBe(0);
        result.GetProperty("skipped").GetProperty("excluded").GetInt64().ShouldBe(1);
        result.GetProperty("hashes_by_step").GetProperty("stored_checksum").GetInt64().ShouldBe(1);
        result.GetProperty("hashes_by_step").GetProperty("registry").GetInt64().ShouldBe(1);
        result.GetProperty("requests").GetProperty("by_operation").GetProperty("HeadObject").GetInt64().ShouldBe(2);
        Text(created).ShouldContain($"Created kate/data@{topHash}");

        var construct = _world.Registry.CallsTo("packageConstruct").ShouldHaveSingleItem();
        construct.User.ShouldBe("kate");
        var parameters = construct.Args["params"]!.AsObject();
        parameters["bucket"]!.GetValue<string>().ShouldBe(_world.KateRegistry);
        parameters["name"]!.GetValue<string>().ShouldBe("kate/data");
        parameters["message"]!.GetValue<string>().ShouldBe("made over http");
        parameters["userMeta"]!["project"]!.GetValue<string>().ShouldBe("e2e");
        parameters["userMeta"]!["n"]!.GetValue<double>().ShouldBe(3);
        parameters["workflow"].ShouldBeNull();
        var entries = construct.Args["src"]!["entries"]!.AsArray();
        entries.Count.ShouldBe(2);
        var csvKey = $"s3://{_world.KateSource}/data/a.csv?versionId={versions["data/a.csv"]}";
        var a = Entry(entries, "a.csv");
        a["physicalKey"]!.GetValue<string>().ShouldBe(csvKey);
        a["size"]!.GetValue<double>().ShouldBe(8);
        a["hash"]!["type"]!.GetValue<string>().ShouldBe(QuiltHashTypes.Sha256Chunked);
        a["hash"]!["value"]!.GetValue<string>().ShouldBe(ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, Encoding.UTF8.GetBytes("x,y\n1,2\n")).Value);
        a["meta"]!["user_meta"]!["owner"]!.GetValue<string>().ShouldBe("kate");
        a["meta"]!["user_meta"]!["stage"]!.GetValue<string>().ShouldBe("raw");
        a["meta"]!["s3"]!["content_type"]!.GetValue<string>().ShouldBe("text/csv");
        a["meta"]!["s3"]!["version_id"]!.GetValue<string>().ShouldBe(versions["data/a.csv"]);
        var jsonKey = $"s3://{_world.KateSource}/data/sub/b.json?versionId={versions["data/sub/b.json"]}";
        var b = Entry(entries, "sub/b.json");
        b["physicalKey"]!.GetValue<string>().ShouldBe(jsonKey);
        b["size"]!.GetValue<double>().ShouldBe(13);
        b["hash"].ShouldBeNull();
        b["meta"]!["s3"]!["content_type"]!.GetValue<string>().ShouldBe("application/json");
        _world.AssertProtocolClean();

        var browse = await _world.CallAsync(kate, "package_browse", new() { ["package_name"] = "kate/data", ["registry"] = _world.KateRegistry }, Ct);
        browse.IsError.ShouldNotBe(true, Text(browse));
        var view = browse.StructuredContent!.Value;
        view.GetProperty("top_hash").GetString().ShouldBe(topHash);
        view.GetProperty("message").GetString().ShouldBe("made over http");
        view.GetProperty("metadata").GetProperty("project").GetString().ShouldBe("e2e");
        var browsed = view.GetProperty("entries").EnumerateArray().ToDictionary(e => e.GetProperty("logical_key").GetString()!, StringComparer.Ordinal);
        browsed.Keys.Order(StringComparer.Ordinal).ShouldBe(["a.csv", "sub/b.json"]);
        browsed["a.csv"].GetProperty("physical_key").GetString().ShouldBe(csvKey);
        browsed["a.csv"].GetProperty("hash_value").GetString().ShouldBe(a["hash"]!["value"]!.GetValue<string>());
        browsed["a.csv"].GetProperty("meta").GetProperty("user_meta").GetProperty("owner").GetString().ShouldBe("kate");
        browsed["sub/b.json"].GetProperty("physical_key").GetString().ShouldBe(jsonKey);
        browsed["sub/b.json"].GetProperty("hash_value").GetString().ShouldBe(FakeRegistry.FakeHash(jsonKey));

        var list = await _world.CallAsync(kate, "package_list", new() { ["registry"] = "s3://" + _world.KateRegistry }, Ct);
        var package = list.StructuredContent!.Value.GetProperty("packages").EnumerateArray().ShouldHaveSingleItem();
        package.GetProperty("package_name").GetString().ShouldBe("kate/data");
        package.GetProperty("latest_top_hash").GetString().ShouldBe(topHash);

        _world.Registry.CredentialRequests.Keys.ShouldBe([KateToken]);
        _world.Registry.CredentialRequests[KateToken].ShouldBe(1);
        _world.Gate.Calls.ShouldNotBeEmpty();
        _world.Gate.Calls.ShouldAllBe(c => c.Allowed && c.AccessKeyId == "AKIAKATE" && c.SessionToken == "session-kate-1" && c.Bucket == _world.KateSource);
        _world.Registry.Calls.ShouldAllBe(c => c.User == "kate");
        _world.AssertProtocolClean();
        _world.AssertNoSecrets();
    }

    [Fact]
    public async Task PackageCreateFromS3_CopyAuto_ConstructsThenPromotesIntoTheRegistry()
    {
        await _world.SeedKateAsync(Ct);
        // The registry promotes only into a bucket its workflow config lists under 'successors'; catalog mode reads it first.
        await _world.PutAsync(_world.KateRegistry, ".quilt/workflows/config.yml", $"version: \"1\"\nis_workflow_required: false\nworkflows:\n  plain:\n    name: Plain\nsuccessors:\n  s3://{_world.KateRegistry}:\n    title: Itself\n", "application/x-yaml", checksum: false, Ct);
        await using var kate = await _world.Server.ConnectAsync(KateToken, Ct);
        var arguments = CreateArguments("kate/copied");
        arguments.Remove("copy");

        var created = await _world.CallAsync(kate, "package_create_from_s3", arguments, Ct);

        created.IsError.ShouldNotBe(true, Text(created));
        var result = created.StructuredContent!.Value;
        result.GetProperty("objects_copied").GetInt64().ShouldBe(2);
        result.GetProperty("objects_referenced").GetInt64().ShouldBe(0);
        var construct = _world.Registry.CallsTo("packageConstruct").ShouldHaveSingleItem();
        var promote = _world.Registry.CallsTo("packagePromote").ShouldHaveSingleItem();
        promote.User.ShouldBe("kate");
        promote.Args["params"]!["bucket"]!.GetValue<string>().ShouldBe(_world.KateRegistry);
        promote.Args["src"]!["bucket"]!.GetValue<string>().ShouldBe(_world.KateRegistry);
        promote.Args["src"]!["name"]!.GetValue<string>().ShouldBe("kate/copied");
        var latest = _world.Registry.Latest(_world.KateRegistry, "kate/copied").ShouldNotBeNull();
        result.GetProperty("top_hash").GetString().ShouldBe(latest);
        promote.Args["src"]!["hash"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
        construct.Args["src"]!["entries"]!.AsArray().Count.ShouldBe(2);

        var browse = await _world.CallAsync(kate, "package_browse", new() { ["package_name"] = "kate/copied", ["registry"] = _world.KateRegistry, ["top_hash"] = latest[..8] }, Ct);
        browse.IsError.ShouldNotBe(true, Text(browse));
        browse.StructuredContent!.Value.GetProperty("entries").EnumerateArray()
            .ShouldAllBe(e => e.GetProperty("physical_key").GetString()!.StartsWith($"s3://{_world.KateRegistry}/kate/copied/", StringComparison.Ordinal));
        _world.AssertProtocolClean();
        _world.AssertNoSecrets();
    }

    [Fact]
    public async Task PackageCreateFromS3_RegistryWillNotHash_ServerHashesWithTheUsersTemporaryCredentials()
    {
        await _world.SeedKateAsync(Ct);
        _world.Registry.MaxFilesToHash = 0;
        await using var kate = await _world.Server.ConnectAsync(KateToken, Ct);

        var created = await _world.CallAsync(kate, "package_create_from_s3", CreateArguments(), Ct);

        created.IsError.ShouldNotBe(true, Text(created));
        var result = created.StructuredContent!.Value;
        result.GetProperty("warnings").EnumerateArray().ShouldHaveSingleItem().GetString()!.ShouldContain("TooManyFilesToHash");
        result.GetProperty("hashes_by_step").GetProperty("small_object_get").GetInt64().ShouldBe(1);
        result.GetProperty("hashes_by_step").GetProperty("stored_checksum").GetInt64().ShouldBe(1);
        var constructs = _world.Registry.CallsTo("packageConstruct");
        constructs.Count.ShouldBe(2);
        var b = Entry(constructs[1].Args["src"]!["entries"]!.AsArray(), "sub/b.json");
        b["hash"]!["value"]!.GetValue<string>().ShouldBe(ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, Encoding.UTF8.GetBytes("{\"new\": true}")).Value);
        _world.Gate.Calls.ShouldContain(c => c.Method == "GET" && c.Bucket == _world.KateSource && c.AccessKeyId == "AKIAKATE" && c.SessionToken == "session-kate-1");
        _world.Gate.Calls.ShouldAllBe(c => c.Allowed && c.AccessKeyId == "AKIAKATE");
        result.GetProperty("top_hash").GetString().ShouldBe(_world.Registry.Latest(_world.KateRegistry, "kate/data"));
        _world.AssertProtocolClean();
        _world.AssertNoSecrets();
    }

    /// <summary>The failure cases: how the registry (or S3) is made to fail, what the result must say, and its kind.</summary>
    public static TheoryData<string> FailureCases() =>
    [
        "invalid-input-arm", "operation-error-arm", "forbidden-registry-bucket", "graphql-request-errors", "graphql-field-errors",
        "http-500", "http-429", "graphql-401", "credentials-403", "credentials-500", "unknown-token", "source-denied-by-s3",
    ];

    [Theory]
    [MemberData(nameof(FailureCases))]
    public async Task PackageCreateFromS3_RegistryOrCredentialsFail_IsErrorWithTheReasonAndANextStep(string failure)
    {
        await _world.SeedKateAsync(Ct);
        var token = KateToken;
        var arguments = CreateArguments();
        string kind;
        string[] expected;
        switch (failure)
        {
            case "invalid-input-arm":
                _world.Registry.Script("packageConstruct", ScriptedAnswer.InvalidInput("src.entries.1.physicalKey", "Invalid S3 physical key.", "InvalidS3PhysicalKey"));
                kind = "InvalidInput";
                expected = ["GraphQL package creation failed: Invalid S3 physical key (InvalidS3PhysicalKey) at src.entries.1.physicalKey (entry 'sub/b.json')", "Nothing was written.", "Next step: Fix what the registry names"];
                break;
            case "operation-error-arm":
                _world.Registry.Script("packageConstruct", ScriptedAnswer.OperationError("WorkflowValidationError", "Metadata failed validation.", new JsonObject { ["details"] = "'owner' is a required property" }));
                kind = "InvalidInput";
                expected = ["GraphQL package creation failed: Metadata failed validation (WorkflowValidationError): 'owner' is a required property", "Nothing was written.", "Next step: Fix what the registry names (workflow, metadata, keys)"];
                break;
            case "forbidden-registry-bucket":
                arguments = CreateArguments(registry: _world.LeoRegistry);
                kind = "AccessDenied";
                expected = [$"GraphQL package creation failed: Access denied to s3://{_world.LeoRegistry} (Forbidden)", "Next step: The catalog user may not do this"];
                break;
            case "graphql-request-errors":
                _world.Registry.Script("packageConstruct", new ScriptedAnswer.Errors(new JsonArray(new JsonObject { ["message"] = "Variable '$src' got invalid value; Field 'hash' is not defined." })));
                kind = "InvalidInput";
                expected = ["The Quilt registry rejected the PackageConstruct request: Variable '$src' got invalid value; Field 'hash' is not defined", "Next step: This QuiltMcp and the registry disagree on the GraphQL API"];
                break;
            case "graphql-field-errors":
                _world.Registry.Script("packageConstruct", new ScriptedAnswer.Errors(new JsonArray(new JsonObject { ["message"] = "S3 is unavailable.", ["path"] = new JsonArray("packageConstruct") })));
                kind = "Transient";
                expected = ["The Quilt registry failed while answering PackageConstruct: S3 is unavailable", "Next step: Retry the operation."];
                break;
            case "http-500":
                _world.Registry.Script("packageConstruct", new ScriptedAnswer.Http(500, "Internal Server Error"));
                kind = "Transient";
                expected = ["The Quilt registry failed answering PackageConstruct (HTTP 500)", "Next step: Retry the operation."];
                break;
            case "http-429":
                _world.Registry.Script("packageConstruct", new ScriptedAnswer.Http(429, "{\"message\": \"slow down\"}"));
                kind = "Throttled";
                expected = ["The Quilt registry throttled PackageConstruct (HTTP 429)", "Next step: Retry later"];
                break;
            case "graphql-401":
                _world.Registry.Script("package", new ScriptedAnswer.Http(401, "{\"message\": \"Token expired\"}"));
                kind = "AccessDenied";
                expected = ["The catalog token was rejected (HTTP 401 from the registry's Package)", "Next step: Log in to the catalog again"];
                break;
            case "credentials-403":
                _world.Registry.CredentialsFailureStatus = 403;
                kind = "AccessDenied";
                expected = ["The catalog token was rejected (HTTP 403 from the registry's credentials endpoint)", "Next step: Log in to the catalog again"];
                break;
            case "credentials-500":
                _world.Registry.CredentialsFailureStatus = 503;
                kind = "Transient";
                expected = ["The Quilt registry failed to hand out credentials (HTTP 503)", "Next step: Retry the operation."];
                break;
            case "unknown-token":
                token = "eyJhbGciOiJIUzI1NiJ9.UNKNOWN-SECRET-TOKEN.c2lnbmF0dXJl";
                kind = "AccessDenied";
                expected = ["The catalog token was rejected (HTTP 401 from the registry's credentials endpoint)", "Next step: Log in to the catalog again"];
                break;
            case "source-denied-by-s3":
                arguments = CreateArguments(source: _world.LeoSource);
                kind = "AccessDenied";
                expected = [$"S3 GetBucketVersioning on s3://{_world.LeoSource} failed: AccessDenied (HTTP 403)", "Next step: The catalog user's temporary credentials may not do this"];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(failure), failure, null);
        }

        await using var client = await _world.Server.ConnectAsync(token, Ct);
        var result = await _world.CallAsync(client, "package_create_from_s3", arguments, Ct);

        result.IsError.ShouldBe(true);
        var text = Text(result);
        foreach (var fragment in expected)
        {
            text.ShouldContain(fragment, Case.Sensitive, text);
        }

        text.ShouldNotContain("AWS_PROFILE"); // a catalog user has no AWS configuration to check
        var error = result.StructuredContent!.Value.GetProperty("error");
        error.GetProperty("kind").GetString().ShouldBe(kind, text);
        error.GetProperty("hint").GetString().ShouldNotBeNullOrWhiteSpace();
        _world.Registry.Latest(_world.KateRegistry, "kate/data").ShouldBeNull();
        _world.Registry.Latest(_world.LeoRegistry, "kate/data").ShouldBeNull();
        _world.AssertProtocolClean();
        _world.AssertNoSecrets();
    }

    [Fact]
    public async Task PackageCreateFromS3_RegistryUnreachable_IsTransientErrorNamingTheRegistry()
    {
        var dead = $"http://127.0.0.1:{QuiltMcpProcess.FreePort()}/";
        var server = await _world.StartServerAsync(e => e["QUILT_REGISTRY_URL"] = dead, Ct);
        await using var kate = await server.ConnectAsync(KateToken, Ct);

        var result = await _world.CallAsync(kate, "package_create_from_s3", CreateArguments(), Ct);

        result.IsError.ShouldBe(true);
        var text = Text(result);
        text.ShouldContain($"Could not reach the Quilt registry at {dead}api/auth/get_credentials");
        text.ShouldContain("Next step: Retry the operation.");
        result.StructuredContent!.Value.GetProperty("error").GetProperty("kind").GetString().ShouldBe("Transient");
        _world.AssertNoSecrets();
    }

    [Fact]
    public async Task Serve_RegistryFromTheCatalogsConfigJson_CreatesThePackage()
    {
        await _world.SeedKateAsync(Ct);
        var catalog = _world.Registry.Url.AbsoluteUri.TrimEnd('/');
        var server = await _world.StartServerAsync(
            e =>
            {
                e["QUILT_CATALOG_URL"] = catalog;
                e.Remove("QUILT_REGISTRY_URL");
            },
            Ct);
        await using var kate = await server.ConnectAsync(KateToken, Ct);

        var created = await _world.CallAsync(kate, "package_create_from_s3", CreateArguments(), Ct);

        created.IsError.ShouldNotBe(true, Text(created));
        var topHash = _world.Registry.Latest(_world.KateRegistry, "kate/data").ShouldNotBeNull();
        created.StructuredContent!.Value.GetProperty("catalog_url").GetString().ShouldBe($"{catalog}/b/{_world.KateRegistry}/packages/kate/data/tree/{topHash}");
        server.Output.ShouldContain(l => l.Contains("Quilt registry from the catalog's config.json", StringComparison.Ordinal));
        _world.AssertProtocolClean();
        _world.AssertNoSecrets();
    }
}
