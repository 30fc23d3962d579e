using System.Net;
using System.Net.Sockets;
using Quilt.Catalog.Tests.TestRegistry;
using Quilt.Core.Errors;
using Quilt.Core.Hashing;
using System.Text.Json.Nodes;

namespace Quilt.Catalog.Tests;

/// <summary>The GraphQL client against the test registry: every union arm, HTTP status and GraphQL error shape.</summary>
public sealed class CatalogGraphQLClientTests(GraphQLValidator validator) : IAsyncLifetime
{
    private const string Token = "client-token-7f3a";
    private FakeRegistry _registry = null!;
    private HttpClient _http = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _registry = await FakeRegistry.StartAsync(validator);
        _registry.AddUser(Token, "carol", "reg");
        _http = new HttpClient();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _registry.DisposeAsync();
    }

    private CatalogGraphQLClient Client(string token = Token) => new(_http, _registry.Url, token);

    private static PackagePushParameters Params(string name = "team/pkg") => new("reg", name, "msg", null, null);

    private static PackageConstructEntryInput Entry(string key) => new(key, $"s3://src/{key}?versionId=1", 3, new QuiltHash(QuiltHashTypes.Sha256Chunked, "abc="), null);

    [Fact]
    public async Task PackageConstruct_Success_ReturnsRevision()
    {
        var result = await Client().PackageConstructAsync(Params(), [Entry("a.txt"), Entry("b/c.txt")], Ct);

        result.Succeeded.ShouldBeTrue();
        result.Error.ShouldBeNull();
        result.Revision!.Hash.ShouldBe(_registry.Latest("reg", "team/pkg"));
        result.Revision.Message.ShouldBe("msg");
        result.Revision.TotalEntries.ShouldBe(2);
        result.Revision.TotalBytes.ShouldBe(6);
        result.Revision.Modified.ShouldNotBeNull();
        result.EnsureSuccess("package creation").ShouldBe(result.Revision);
        _registry.ValidationFailures.ShouldBeEmpty();
        _registry.ExecutionErrors.ShouldBeEmpty();
    }

    [Fact]
    public async Task PackageConstruct_HugeSizeAndUnicodeKeys_RoundTrip()
    {
        var entry = new PackageConstructEntryInput("dïr/ünï côdé ✓.bin", "s3://src/x?versionId=1", 5_000_000_000_000, null, new Core.Json.QuiltJsonObject([new("k", new Core.Json.QuiltJsonString("v\n\"q\""))]));

        var result = await Client().PackageConstructAsync(Params(), [entry], Ct);

        result.Revision!.TotalBytes.ShouldBe(5_000_000_000_000);
        var stored = _registry.Manifest("reg", "team/pkg", result.Revision.Hash)!.Entries.ShouldHaveSingleItem();
        stored.LogicalKey.ShouldBe("dïr/ünï côdé ✓.bin");
        stored.Meta!.ToJsonString().ShouldBe("{\"k\":\"v\\n\\u0022q\\u0022\"}");
    }

    [Fact]
    public async Task PackageConstruct_InvalidInput_ReturnsErrorThatNamesEntry()
    {
        _registry.Script("packageConstruct", new ScriptedAnswer.Value(new JsonObject
        {
            ["__typename"] = "InvalidInput",
            ["errors"] = new JsonArray(
                new JsonObject { ["path"] = "src.entries.1.logicalKey", ["message"] = "Invalid logical key.", ["name"] = "InvalidLogicalKey", ["context"] = null },
                new JsonObject { ["path"] = null, ["message"] = "Second problem", ["name"] = "Other" }),
        }));
        PackageConstructEntryInput[] entries = [Entry("a"), Entry("b")];

        var result = await Client().PackageConstructAsync(Params(), entries, Ct);

        result.Succeeded.ShouldBeFalse();
        result.Error!.TypeName.ShouldBe("InvalidInput");
        result.Error.Details.Count.ShouldBe(2);
        result.Error.HasName("InvalidLogicalKey").ShouldBeTrue();
        var error = Should.Throw<QuiltException>(() => result.EnsureSuccess("package creation", i => entries[i].LogicalKey));
        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldBe("GraphQL package creation failed: Invalid logical key (InvalidLogicalKey) at src.entries.1.logicalKey (entry 'b'); Second problem (Other).");
    }

    public static TheoryData<string, QuiltErrorKind> OperationErrors() => new()
    {
        { "Forbidden", QuiltErrorKind.AccessDenied },
        { "AccessDenied", QuiltErrorKind.AccessDenied },
        { "NoSuchKey", QuiltErrorKind.NotFound },
        { "NoSuchBucket", QuiltErrorKind.NotFound },
        { "SlowDown", QuiltErrorKind.Throttled },
        { "TooManyFilesToHash", QuiltErrorKind.InvalidInput },
        { "PackageTooLargeToHash", QuiltErrorKind.InvalidInput },
        { "FileTooLargeForHashing", QuiltErrorKind.InvalidInput },
        { "TooManyFilesToCopy", QuiltErrorKind.InvalidInput },
        { "WorkflowValidationError", QuiltErrorKind.InvalidInput },
        { "InvalidSuccessor", QuiltErrorKind.InvalidInput },
        { "S3HashLambdaUnhandledError", QuiltErrorKind.Transient },
        { "", QuiltErrorKind.Transient },
    };

    [Theory]
    [MemberData(nameof(OperationErrors))]
    public async Task PackageConstruct_OperationError_MapsToKind(string name, QuiltErrorKind kind)
    {
        _registry.Script("packageConstruct", ScriptedAnswer.OperationError(name, "The registry said no"));

        var result = await Client().PackageConstructAsync(Params(), [Entry("a")], Ct);

        var error = Should.Throw<QuiltException>(() => result.EnsureSuccess("package creation"));
        error.Kind.ShouldBe(kind);
        error.Message.ShouldStartWith("GraphQL package creation failed: The registry said no");
        error.Hint.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task PackagePromote_Success_CopiesIntoRegistry()
    {
        var constructed = (await Client().PackageConstructAsync(Params(), [Entry("a")], Ct)).Revision!;

        var promoted = await Client().PackagePromoteAsync(Params(), new PackageRevisionReference("reg", "team/pkg", constructed.Hash), "custom/", Ct);

        promoted.Revision!.Hash.ShouldBe(constructed.Hash);
        _registry.Manifest("reg", "team/pkg", constructed.Hash)!.Entries[0].PhysicalKey.ShouldStartWith("s3://reg/custom/a");
        _registry.CallsTo("packagePromote").Single().Args["destPrefix"]!.GetValue<string>().ShouldBe("custom/");
        _registry.ValidationFailures.ShouldBeEmpty();
    }

    [Fact]
    public async Task PackagePromote_UnknownSource_OperationError()
    {
        var result = await Client().PackagePromoteAsync(Params(), new PackageRevisionReference("reg", "team/none", "deadbeef"), null, Ct);

        result.Error!.TypeName.ShouldBe("OperationError");
        Should.Throw<QuiltException>(() => result.EnsureSuccess("package promotion")).Kind.ShouldBe(QuiltErrorKind.NotFound);
    }

    [Fact]
    public async Task PackageRevisionDelete_ExistingAndMissing()
    {
        var hash = (await Client().PackageConstructAsync(Params(), [Entry("a")], Ct)).Revision!.Hash;

        (await Client().PackageRevisionDeleteAsync("reg", "team/pkg", hash, Ct)).ShouldBeNull();
        var again = await Client().PackageRevisionDeleteAsync("reg", "team/pkg", hash, Ct);

        again!.Details.ShouldHaveSingleItem().Name.ShouldBe("NoSuchKey");
        again.Describe().ShouldContain(hash);
        _registry.RevisionHashes("reg", "team/pkg").ShouldBeEmpty();
    }

    [Fact]
    public async Task PackageRevisionDelete_UnknownTypename_IsMalformed()
    {
        _registry.Script("packageRevisionDelete", new ScriptedAnswer.Http(200, "{\"data\": {\"packageRevisionDelete\": {\"__typename\": \"PackagePushSuccess\"}}}"));

        var error = await Should.ThrowAsync<QuiltException>(() => Client().PackageRevisionDeleteAsync("reg", "team/pkg", "h", Ct));

        error.Kind.ShouldBe(QuiltErrorKind.Transient);
        error.Message.ShouldContain("does not understand");
    }

    [Fact]
    public async Task GetPackage_MissingOrInvisible_ReturnsNull()
    {
        _registry.Seed("other", "team/pkg", "m", ("a", "s3://other/a", 1));

        (await Client().GetPackageAsync("reg", "team/none", Ct)).ShouldBeNull();
        (await Client().GetPackageAsync("other", "team/pkg", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task GetPackage_Existing_ReportsLatestAndCount()
    {
        _registry.Seed("reg", "team/pkg", "one", ("a", "s3://reg/a", 1));
        var second = _registry.Seed("reg", "team/pkg", "two", ("a", "s3://reg/a", 2));

        var package = await Client().GetPackageAsync("reg", "team/pkg", Ct);

        package.ShouldNotBeNull();
        package.LatestTopHash.ShouldBe(second);
        package.Revisions.ShouldBe(2);
        package.Bucket.ShouldBe("reg");
        package.Modified.ShouldNotBeNull();
    }

    [Fact]
    public async Task GetRevisionHashes_ManyRevisions_PagesThroughAll()
    {
        var seeded = Enumerable.Range(0, 230).Select(i => _registry.Seed("reg", "team/many", $"m{i}", ("a", "s3://reg/a", i))).ToList();

        var hashes = await Client().GetRevisionHashesAsync("reg", "team/many", Ct);

        hashes.ShouldBe(Enumerable.Reverse(seeded).ToList());
        _registry.CallsTo("package").Count.ShouldBe(3);
        (await Client().GetRevisionHashesAsync("reg", "team/none", Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ListPackages_ManyPackages_PagesAndSorts()
    {
        foreach (var i in Enumerable.Range(0, 205).Reverse())
        {
            _registry.Seed("reg", $"team/p{i:D3}", "m", ("a", "s3://reg/a", 1));
        }

        var packages = await Client().ListPackagesAsync("reg", null, Ct);

        packages!.Count.ShouldBe(205);
        packages.Select(p => p.Name).ShouldBe(packages.Select(p => p.Name).Order(StringComparer.Ordinal).ToList());
        packages[0].LatestTopHash.ShouldNotBeNull();
        packages[0].Revisions.ShouldBe(1);
        _registry.CallsTo("packages").Count.ShouldBe(3);
        (await Client().ListPackagesAsync("not-mine", "x", Ct)).ShouldBeNull();
        _registry.ValidationFailures.ShouldBeEmpty();
    }

    [Fact]
    public async Task GetRevision_ReturnsEntriesInWalkOrder_OrNullWhenTooMany()
    {
        var hash = _registry.Seed("reg", "team/pkg", "m", ("b.txt", "s3://reg/b", 2), ("a/z.txt", "s3://reg/z", 1), ("a.txt", "s3://reg/a", 3));

        var contents = await Client().GetRevisionAsync("reg", "team/pkg", hash, 10, Ct);
        var limited = await Client().GetRevisionAsync("reg", "team/pkg", "latest", 2, Ct);
        var missing = await Client().GetRevisionAsync("reg", "team/pkg", new string('0', 64), 10, Ct);

        contents!.Revision.Hash.ShouldBe(hash);
        contents.Entries!.Select(e => e.LogicalKey).ShouldBe(["a/z.txt", "a.txt", "b.txt"]);
        contents.Entries![0].PhysicalKey.ShouldBe("s3://reg/z");
        contents.Entries![0].HashType.ShouldBe("sha2-256-chunked");
        contents.Entries![0].HashValue.ShouldBe(FakeRegistry.FakeHash("s3://reg/z"));
        limited!.Entries.ShouldBeNull();
        limited.Revision.Hash.ShouldBe(hash);
        missing.ShouldBeNull();
    }

    [Fact]
    public async Task GetRevision_BareStringHashes_AreSha256Chunked()
    {
        _registry.Script("package", new ScriptedAnswer.Value(new JsonObject
        {
            ["revision"] = new JsonObject
            {
                ["hash"] = "h1",
                ["modified"] = "2026-01-01T00:00:00Z",
                ["message"] = null,
                ["userMeta"] = new JsonObject { ["x"] = 1 },
                ["totalEntries"] = 1,
                ["totalBytes"] = 4.0,
                ["contentsFlatMap"] = new JsonObject { ["k"] = new JsonObject { ["physicalKey"] = "s3://b/k", ["size"] = 4.0, ["hash"] = "legacy=", ["meta"] = null } },
            },
        }));

        var contents = await Client().GetRevisionAsync("reg", "team/pkg", "latest", 10, Ct);

        var entry = contents!.Entries!.ShouldHaveSingleItem();
        (entry.HashType, entry.HashValue, entry.Size).ShouldBe(("sha2-256-chunked", "legacy=", 4L));
        entry.Meta.ShouldBe(Core.Json.QuiltJsonObject.Empty);
        Core.Json.JsonText.Serialize(contents.UserMeta!).ShouldBe("{\"x\": 1}");
    }

    [Fact]
    public async Task GetRevision_FlatMapAsJsonText_IsParsed()
    {
        _registry.Script("package", new ScriptedAnswer.Value(new JsonObject
        {
            ["revision"] = new JsonObject
            {
                ["hash"] = "h2",
                ["modified"] = "not a date",
                ["contentsFlatMap"] = "{\"k\": {\"physicalKey\": \"s3://b/k\", \"size\": 2, \"hash\": {\"type\": \"SHA256\", \"value\": \"v\"}}}",
            },
        }));

        var contents = await Client().GetRevisionAsync("reg", "team/pkg", "latest", 10, Ct);

        contents!.Revision.Modified.ShouldBeNull();
        contents.Revision.TotalEntries.ShouldBeNull();
        contents.UserMeta.ShouldBeNull();
        var entry = contents.Entries!.ShouldHaveSingleItem();
        (entry.HashType, entry.HashValue, entry.Size).ShouldBe(("SHA256", "v", 2L));
    }

    [Fact]
    public async Task GetRevision_FlatMapOfWrongShape_Transient()
    {
        _registry.Script("package", new ScriptedAnswer.Value(new JsonObject
        {
            ["revision"] = new JsonObject { ["hash"] = "h3", ["modified"] = "2026-01-01T00:00:00Z", ["contentsFlatMap"] = 42 },
        }));

        var error = await Should.ThrowAsync<QuiltException>(() => Client().GetRevisionAsync("reg", "team/pkg", "latest", 10, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.Transient);
        error.Message.ShouldContain("contentsFlatMap");
    }

    [Fact]
    public async Task Execute_RedirectWithJsonBody_InvalidInput()
    {
        _registry.Script("package", new ScriptedAnswer.Http(409, "{\"data\": null}"));

        var error = await Should.ThrowAsync<QuiltException>(() => Client().GetPackageAsync("reg", "team/pkg", Ct));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldBe("The Quilt registry refused Package with HTTP 409.");
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task Execute_TokenRejected_AccessDeniedWithLoginHint(int status)
    {
        _registry.Script("package", new ScriptedAnswer.Http(status, "{\"message\": \"nope\"}"));

        var error = await Should.ThrowAsync<QuiltException>(() => Client().GetPackageAsync("reg", "team/pkg", Ct));

        error.Kind.ShouldBe(QuiltErrorKind.AccessDenied);
        error.Message.ShouldContain("the catalog token was rejected", Case.Insensitive);
        error.Hint!.ShouldContain("QUILT_JWT");
        error.Message.ShouldNotContain(Token);
    }

    [Fact]
    public async Task Execute_UnknownToken_AccessDenied()
    {
        var error = await Should.ThrowAsync<QuiltException>(() => Client("who-are-you").GetPackageAsync("reg", "team/pkg", Ct));

        error.Kind.ShouldBe(QuiltErrorKind.AccessDenied);
        error.Message.ShouldNotContain("who-are-you");
    }

    [Theory]
    [InlineData(500, QuiltErrorKind.Transient)]
    [InlineData(502, QuiltErrorKind.Transient)]
    [InlineData(503, QuiltErrorKind.Transient)]
    [InlineData(408, QuiltErrorKind.Transient)]
    [InlineData(429, QuiltErrorKind.Throttled)]
    [InlineData(404, QuiltErrorKind.NotFound)]
    [InlineData(418, QuiltErrorKind.InvalidInput)]
    public async Task Execute_HttpStatus_MapsToKind(int status, QuiltErrorKind kind)
    {
        _registry.Script("packages", new ScriptedAnswer.Http(status, "<html>oops</html>"));

        var error = await Should.ThrowAsync<QuiltException>(() => Client().ListPackagesAsync("reg", null, Ct));

        error.Kind.ShouldBe(kind);
        error.Message.ShouldContain(status.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Execute_BadRequestWithGraphQLErrors_InvalidInput()
    {
        _registry.Script("packages", new ScriptedAnswer.Http(400, "{\"errors\": [{\"message\": \"Unknown argument 'x'.\"}]}"));

        var error = await Should.ThrowAsync<QuiltException>(() => Client().ListPackagesAsync("reg", null, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldContain("Unknown argument 'x'");
    }

    [Fact]
    public async Task Execute_RequestErrorsWithoutPath_InvalidInput()
    {
        _registry.Script("package", new ScriptedAnswer.Errors(new JsonArray(new JsonObject { ["message"] = "Variable '$name' got invalid value." })));

        var error = await Should.ThrowAsync<QuiltException>(() => Client().GetPackageAsync("reg", "team/pkg", Ct));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldBe("The Quilt registry rejected the Package request: Variable '$name' got invalid value.");
    }

    [Fact]
    public async Task Execute_FieldErrorsWithPath_Transient()
    {
        _registry.Script("package", new ScriptedAnswer.Errors(new JsonArray(new JsonObject { ["message"] = "Internal server error", ["path"] = new JsonArray("package") })));

        var error = await Should.ThrowAsync<QuiltException>(() => Client().GetPackageAsync("reg", "team/pkg", Ct));

        error.Kind.ShouldBe(QuiltErrorKind.Transient);
        error.IsTransient.ShouldBeTrue();
        error.Message.ShouldContain("Internal server error");
    }

    [Theory]
    [InlineData("UNAUTHENTICATED")]
    [InlineData("FORBIDDEN")]
    public async Task Execute_AuthErrorCodes_AccessDenied(string code)
    {
        _registry.Script("package", new ScriptedAnswer.Errors(new JsonArray(new JsonObject { ["message"] = "Not allowed", ["path"] = new JsonArray("package"), ["extensions"] = new JsonObject { ["code"] = code } })));

        var error = await Should.ThrowAsync<QuiltException>(() => Client().GetPackageAsync("reg", "team/pkg", Ct));

        error.Kind.ShouldBe(QuiltErrorKind.AccessDenied);
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("{\"nodata\": true}")]
    [InlineData("{\"data\": {}}")]
    public async Task Execute_MalformedAnswer_Transient(string body)
    {
        _registry.Script("packageConstruct", new ScriptedAnswer.Http(200, body));

        var error = await Should.ThrowAsync<QuiltException>(() => Client().PackageConstructAsync(Params(), [Entry("a")], Ct));

        error.Kind.ShouldBe(QuiltErrorKind.Transient);
    }

    [Fact]
    public async Task Execute_UnknownUnionArm_Transient()
    {
        _registry.Script("packageConstruct", new ScriptedAnswer.Http(200, "{\"data\": {\"packageConstruct\": {\"__typename\": \"Surprise\"}}}"));

        var error = await Should.ThrowAsync<QuiltException>(() => Client().PackageConstructAsync(Params(), [Entry("a")], Ct));

        error.Message.ShouldContain("Surprise");
    }

    [Fact]
    public async Task Execute_SlowRegistry_TimesOutAsTransient()
    {
        using var impatient = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };
        _registry.Script("package", new ScriptedAnswer.Delay(TimeSpan.FromSeconds(10)));

        var error = await Should.ThrowAsync<QuiltException>(() => new CatalogGraphQLClient(impatient, _registry.Url, Token).GetPackageAsync("reg", "team/pkg", Ct));

        error.Kind.ShouldBe(QuiltErrorKind.Transient);
        error.Message.ShouldContain("did not answer");
    }

    [Fact]
    public async Task Execute_CallerCancels_OperationCanceled()
    {
        _registry.Script("package", new ScriptedAnswer.Delay(TimeSpan.FromSeconds(10)));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(200);

        await Should.ThrowAsync<OperationCanceledException>(() => Client().GetPackageAsync("reg", "team/pkg", cancel.Token));
    }

    [Fact]
    public async Task Execute_Unreachable_Transient()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var error = await Should.ThrowAsync<QuiltException>(() => new CatalogGraphQLClient(_http, new Uri($"http://127.0.0.1:{port}/"), Token).GetPackageAsync("reg", "team/pkg", Ct));

        error.Kind.ShouldBe(QuiltErrorKind.Transient);
        error.Message.ShouldContain("Could not reach");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Constructor_BlankToken_AccessDenied(string token)
    {
        var error = Should.Throw<QuiltException>(() => new CatalogGraphQLClient(_http, _registry.Url, token));

        error.Kind.ShouldBe(QuiltErrorKind.AccessDenied);
        error.Hint!.ShouldContain("Authorization: Bearer");
    }

    [Fact]
    public void Endpoint_IsRegistryGraphQL()
    {
        new CatalogGraphQLClient(_http, new Uri("https://reg.example.com/api/"), Token).Endpoint.ShouldBe(new Uri("https://reg.example.com/api/graphql"));
        _http.DefaultRequestHeaders.Authorization.ShouldBeNull();
    }

    [Theory]
    [InlineData("src.entries.12.meta", 12)]
    [InlineData("src/entries/3", 3)]
    [InlineData("src.entries[7].logicalKey", 7)]
    [InlineData("params.name", null)]
    [InlineData("entries.x", null)]
    public void EntryIndex_ParsesPaths(string path, int? expected) => CatalogRegistryError.EntryIndex(path).ShouldBe(expected);

    [Fact]
    public void Describe_NoDetails_SaysSo()
    {
        new CatalogRegistryError("OperationError", []).Describe().ShouldBe("the registry answered OperationError without a reason");
        new CatalogPushResult(null, null).Succeeded.ShouldBeFalse();
        Should.Throw<QuiltException>(() => new CatalogPushResult(null, null).EnsureSuccess("x")).Kind.ShouldBe(QuiltErrorKind.Transient);
    }

    [Fact]
    public void Describe_LongContext_IsTruncated()
    {
        var context = new Core.Json.QuiltJsonObject([new("a", new Core.Json.QuiltJsonString(new string('z', 1000))), new("b", new Core.Json.QuiltJsonInteger(1))]);

        var text = new CatalogRegistryError("OperationError", [new CatalogErrorDetail("Big", "Big failure", null, context)]).Describe();

        text.Length.ShouldBeLessThan(500);
        text.ShouldEndWith("…");
    }
}
