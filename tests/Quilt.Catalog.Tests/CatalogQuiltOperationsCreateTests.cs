using System.Text;
using Quilt.Catalog.Tests.Fakes;
using Quilt.Catalog.Tests.TestRegistry;
using Quilt.Core.Errors;
using Quilt.Core.Json;
using Quilt.Packaging.Contracts;
using System.Text.Json.Nodes;

namespace Quilt.Catalog.Tests;

/// <summary>Package creation in catalog mode against the test registry, for a user whose S3 access is in-memory.</summary>
public sealed class CatalogQuiltOperationsCreateTests(GraphQLValidator validator) : IAsyncLifetime
{
    private const string Registry = "reg-bucket";
    private const string Source = "src-bucket";
    private CatalogWorld _world = null!;
    private RegistryUser _alice = null!;

    public async ValueTask InitializeAsync()
    {
        _world = await CatalogWorld.StartAsync(validator);
        _alice = _world.Registry.AddUser("alice-token-" + Guid.NewGuid().ToString("N"), "alice", Registry, Source);
        _world.S3.CreateBucket(Source, versioned: true, _alice.AccessKeyId);
        _world.S3.CreateBucket(Registry, versioned: true, _alice.AccessKeyId);
        _world.AllowPromotion(Registry);
    }

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IQuiltOperations Ops => _world.For(_alice);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static CreateFromS3Request Request(string prefix = "data/", CopyMode copy = CopyMode.None) => new()
    {
        Source = StorageLocation.Parse($"s3://{Source}/{prefix}"),
        PackageName = "team/dataset",
        TargetRegistry = StorageLocation.Parse("s3://" + Registry),
        Copy = copy,
        Description = "first version",
    };

    private JsonArray ConstructEntries(int call = 0) => _world.Registry.CallsTo("packageConstruct")[call].Args["src"]!["entries"]!.AsArray();

    private JsonObject PushParams(string field = "packageConstruct", int call = 0) => _world.Registry.CallsTo(field)[call].Variables["params"]!.AsObject();

    [Fact]
    public async Task CreateFromS3_VersionedSource_ConstructsWithPinnedVersionsMetaAndKnownHashes()
    {
        var v1 = _world.S3.Put(Source, "data/a.csv", Bytes("a,b\n1,2\n"), new Dictionary<string, string> { ["owner"] = "ops", ["Case"] = "Kept" }, "text/csv", storeSha256: true);
        var v2 = _world.S3.Put(Source, "data/sub/b.json", Bytes("{}"));
        _world.S3.Put(Source, "data/sub/", []);
        _world.S3.Put(Source, "other/c.txt", Bytes("c"));

        var result = await Ops.CreateFromS3Async(Request() with { Metadata = JsonText.Parse("""{"project": "x", "n": 12345678901234567890}""") }, null, Ct);

        var entries = ConstructEntries();
        entries.Count.ShouldBe(2);
        var a = entries.Single(e => e!["logicalKey"]!.GetValue<string>() == "a.csv")!;
        a["physicalKey"]!.GetValue<string>().ShouldBe($"s3://{Source}/data/a.csv?versionId={v1}");
        a["size"]!.GetValue<double>().ShouldBe(8);
        a["hash"]!["type"]!.GetValue<string>().ShouldBe("sha2-256-chunked");
        a["hash"]!["value"]!.GetValue<string>().ShouldBe(MemoryS3.QuiltHashOf(Bytes("a,b\n1,2\n")).Value);
        a["meta"]!["user_meta"]!.ToJsonString().ShouldBe("""{"Case":"Kept","owner":"ops"}""");
        var s3 = a["meta"]!["s3"]!;
        s3["content_type"]!.GetValue<string>().ShouldBe("text/csv");
        s3["version_id"]!.GetValue<string>().ShouldBe(v1);
        s3["storage_class"]!.GetValue<string>().ShouldBe("STANDARD");
        s3["source"]!.GetValue<string>().ShouldBe($"s3://{Source}/data/a.csv?versionId={v1}");
        s3["etag"]!.GetValue<string>().ShouldStartWith("\"");
        s3["last_modified"]!.GetValue<string>().ShouldEndWith("Z");
        var b = entries.Single(e => e!["logicalKey"]!.GetValue<string>() == "sub/b.json")!;
        b["physicalKey"]!.GetValue<string>().ShouldBe($"s3://{Source}/data/sub/b.json?versionId={v2}");
        b["hash"].ShouldBeNull();
        b["meta"]!["user_meta"].ShouldBeNull();

        var p = PushParams();
        p["bucket"]!.GetValue<string>().ShouldBe(Registry);
        p["name"]!.GetValue<string>().ShouldBe("team/dataset");
        p["message"]!.GetValue<string>().ShouldBe("first version");
        p["userMeta"]!.ToJsonString().ShouldBe("""{"project":"x","n":12345678901234567890}""");

        var latest = _world.Registry.Latest(Registry, "team/dataset");
        result.TopHash.ShouldBe(latest);
        result.PackageName.ShouldBe("team/dataset");
        result.Registry.ShouldBe("s3://" + Registry);
        result.Uri.ShouldBe($"quilt+s3://{Registry}#package=team/dataset@{latest}");
        result.CatalogUrl.ShouldBe($"https://catalog.example.com/b/{Registry}/packages/team/dataset/tree/{latest}");
        result.Entries.ShouldBe(2);
        result.TotalBytes.ShouldBe(10);
        result.ObjectsReferenced.ShouldBe(2);
        result.ObjectsCopied.ShouldBe(0);
        result.DryRun.ShouldBeFalse();
        result.HashesByStep.ShouldBe(new Dictionary<string, long> { ["stored_checksum"] = 1, ["registry"] = 1 }, ignoreOrder: true);
        result.Skipped.ShouldBe(new SkippedCounts(1, 0));
        result.Requests.ByOperation["HeadObject"].ShouldBe(2);
        result.Requests.ByOperation["ListObjectVersions"].ShouldBe(1);
        result.Warnings.ShouldBeEmpty();
        _world.Registry.CallsTo("packagePromote").ShouldBeEmpty();
        _world.AssertProtocolClean();
    }

    public static TheoryData<string, string?> Workflows() => new()
    {
        { "default", null },
        { "none", "" },
        { "named", "strict-wf" },
    };

    [Theory]
    [MemberData(nameof(Workflows))]
    public async Task CreateFromS3_Workflow_PassedThroughAsNullEmptyOrId(string choice, string? expected)
    {
        _world.S3.Put(Source, "data/a.csv", Bytes("a"));
        var workflow = choice switch { "default" => WorkflowChoice.Default, "none" => WorkflowChoice.None, _ => WorkflowChoice.Named("strict-wf") };

        await Ops.CreateFromS3Async(Request() with { Workflow = workflow }, null, Ct);

        var p = PushParams();
        p.ContainsKey("workflow").ShouldBeTrue();
        (p["workflow"] is null ? null : p["workflow"]!.GetValue<string>()).ShouldBe(expected);
        _world.Registry.Manifest(Registry, "team/dataset", _world.Registry.Latest(Registry, "team/dataset")!)!.Workflow.ShouldBe(expected);
        _world.AssertProtocolClean();
    }

    [Fact]
    public async Task CreateFromS3_WithoutObjectMetadata_SendsListingOnlyAndNoHead()
    {
        _world.S3.Put(Source, "data/a.csv", Bytes("abc"), new Dictionary<string, string> { ["k"] = "v" }, storeSha256: true);
        _world.S3.Put(Source, "data/x.tmp", Bytes("zz"));

        var result = await Ops.CreateFromS3Async(Request() with { PreserveMetadata = false, ExcludePatterns = ["*.tmp"], Message = "explicit" }, null, Ct);

        var entry = ConstructEntries().ShouldHaveSingleItem()!;
        entry["meta"].ShouldBeNull();
        entry["hash"].ShouldBeNull();
        entry["size"]!.GetValue<double>().ShouldBe(3);
        PushParams()["message"]!.GetValue<string>().ShouldBe("explicit");
        result.Requests.ByOperation.ContainsKey("HeadObject").ShouldBeFalse();
        result.HashesByStep.ShouldBe(new Dictionary<string, long> { ["registry"] = 1 });
        result.Skipped.ShouldBe(new SkippedCounts(0, 1));
        _world.AssertProtocolClean();
    }

    [Fact]
    public async Task CreateFromS3_Flattened_UsesFileNamesAndReportsCollisions()
    {
        _world.S3.Put(Source, "data/x/a.csv", Bytes("1"));
        _world.S3.Put(Source, "data/y/a.csv", Bytes("2"));

        var error = await Should.ThrowAsync<QuiltException>(() => Ops.CreateFromS3Async(Request() with { PreserveStructure = false }, null, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldContain("a.csv");
        _world.Registry.CallsTo("packageConstruct").ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateFromS3_DryRun_ReturnsPlanAndWritesNothing()
    {
        var v = _world.S3.Put(Source, "data/a.csv", Bytes("abcd"));
        _world.S3.Put(Source, "data/b.csv", Bytes("ef"));

        var result = await Ops.CreateFromS3Async(Request(copy: CopyMode.Auto) with { DryRun = true }, null, Ct);

        result.DryRun.ShouldBeTrue();
        result.TopHash.ShouldBeNull();
        result.Uri.ShouldBeNull();
        result.Plan.ShouldNotBeNull();
        result.Plan.Select(p => p.LogicalKey).ShouldBe(["a.csv", "b.csv"]);
        result.Plan[0].ShouldBe(new PlannedEntry("a.csv", $"s3://{Source}/data/a.csv?versionId={v}", 4, WillCopy: true));
        result.PlanTruncated.ShouldBeFalse();
        result.TotalBytes.ShouldBe(6);
        result.Warnings.ShouldHaveSingleItem().ShouldContain("dry run");
        _world.Registry.CallsTo("packageConstruct").ShouldBeEmpty();
        _world.Registry.CallsTo("packagePromote").ShouldBeEmpty();
        _world.AssertProtocolClean();
    }

    [Fact]
    public async Task CreateFromS3_CopyAutoFromAnotherBucket_ConstructsThenPromotes()
    {
        _world.S3.Put(Source, "data/a.csv", Bytes("abc"));

        var result = await Ops.CreateFromS3Async(Request(copy: CopyMode.Auto), null, Ct);

        var construct = _world.Registry.CallsTo("packageConstruct").ShouldHaveSingleItem();
        var promote = _world.Registry.CallsTo("packagePromote").ShouldHaveSingleItem();
        var constructed = _world.Registry.RevisionHashes(Registry, "team/dataset");
        promote.Args["src"]!["bucket"]!.GetValue<string>().ShouldBe(Registry);
        promote.Args["src"]!["name"]!.GetValue<string>().ShouldBe("team/dataset");
        promote.Args["src"]!["hash"]!.GetValue<string>().ShouldBe(result.TopHash);
        promote.Variables["params"]!.ToJsonString().ShouldBe(construct.Variables["params"]!.ToJsonString());
        result.ObjectsCopied.ShouldBe(1);
        result.ObjectsReferenced.ShouldBe(0);
        var manifest = _world.Registry.Manifest(Registry, "team/dataset", result.TopHash!)!;
        manifest.Entries.ShouldHaveSingleItem().PhysicalKey.ShouldStartWith($"s3://{Registry}/team/dataset/a.csv");
        constructed.ShouldAllBe(h => h == result.TopHash);
        _world.Registry.CallsTo("packageRevisionDelete").ShouldBeEmpty();
        _world.AssertProtocolClean();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CreateFromS3_NonEmptyKeyEndingInSlash_SkippedWithTheDirectModeWarning(bool dryRun)
    {
        _world.S3.Put(Source, "data/a.csv", Bytes("abc"));
        _world.S3.Put(Source, "data/odd/", Bytes("not a folder marker"));
        _world.S3.Put(Source, "data/sub/", []);

        var result = await Ops.CreateFromS3Async(Request() with { DryRun = dryRun }, null, Ct);

        result.Skipped.FolderMarkers.ShouldBe(1);
        result.Skipped.FolderKeysWithData.ShouldBe(1);
        result.Skipped.FolderKeysWithDataSample.ShouldBe(["data/odd/"]);
        result.Warnings.ShouldContain(Quilt.Packaging.Pipeline.SourceSelection.FolderKeysWithDataWarning(result.Skipped)!);
        result.Warnings.ShouldContain(w => w.StartsWith("Skipped 1 object(s) whose key ends in '/'", StringComparison.Ordinal) && w.Contains("data/odd/", StringComparison.Ordinal));
        result.Entries.ShouldBe(1);
        if (!dryRun)
        {
            ConstructEntries().ShouldHaveSingleItem()!["logicalKey"]!.GetValue<string>().ShouldBe("a.csv");
        }
    }

    private const string NoSuccessorsConfig = """
        version: "1"
        is_workflow_required: false
        workflows:
          plain:
            name: Plain
        """;

    [Fact]
    public async Task CreateFromS3_CopyAutoRegistryNotItsOwnSuccessor_ReferencesInPlaceWithWarning()
    {
        _world.S3.Put(Source, "data/a.csv", Bytes("abc"));
        _world.WriteWorkflowConfig(Registry, NoSuccessorsConfig);

        var result = await Ops.CreateFromS3Async(Request(copy: CopyMode.Auto), null, Ct);

        _world.Registry.CallsTo("packagePromote").ShouldBeEmpty();
        _world.Registry.CallsTo("packageRevisionDelete").ShouldBeEmpty();
        result.ObjectsCopied.ShouldBe(0);
        result.ObjectsReferenced.ShouldBe(1);
        ConstructEntries().ShouldHaveSingleItem()!["physicalKey"]!.GetValue<string>().ShouldStartWith($"s3://{Source}/data/a.csv");
        var warning = result.Warnings.ShouldHaveSingleItem();
        warning.ShouldStartWith($"Copy mode Auto referenced the objects in place instead of copying them into s3://{Registry}");
        warning.ShouldContain($"does not list s3://{Registry} under 'successors'");
        warning.ShouldContain("ask a catalog admin");
        _world.AssertProtocolClean();
    }

    [Fact]
    public async Task CreateFromS3_CopyAutoDryRunRegistryWithoutWorkflowConfig_PlansInPlaceWithWarning()
    {
        _world.S3.Put(Source, "data/a.csv", Bytes("abc"));
        _world.S3.Remove(Registry, ".quilt/workflows/config.yml");

        var result = await Ops.CreateFromS3Async(Request(copy: CopyMode.Auto) with { DryRun = true }, null, Ct);

        result.Plan!.ShouldHaveSingleItem().WillCopy.ShouldBeFalse();
        result.Warnings.ShouldContain(w => w.Contains("has no workflow config", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateFromS3_CopyAutoSuccessorWithoutCopyData_ReferencesInPlaceWithWarning()
    {
        _world.S3.Put(Source, "data/a.csv", Bytes("abc"));
        _world.WriteWorkflowConfig(Registry, NoSuccessorsConfig + $"\nsuccessors:\n  s3://{Registry}/:\n    title: Self\n    copy_data: false\n");

        var result = await Ops.CreateFromS3Async(Request(copy: CopyMode.Auto), null, Ct);

        _world.Registry.CallsTo("packagePromote").ShouldBeEmpty();
        result.ObjectsReferenced.ShouldBe(1);
        result.Warnings.ShouldHaveSingleItem().ShouldContain("copy_data: false");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CreateFromS3_CopyAllRegistryCannotPromoteIntoItself_RefusedBeforeAnythingIsWritten(bool hasConfig)
    {
        _world.S3.Put(Source, "data/a.csv", Bytes("abc"));
        if (hasConfig)
        {
            _world.WriteWorkflowConfig(Registry, NoSuccessorsConfig + "\nsuccessors:\n  s3://another-bucket:\n    title: Elsewhere\n");
        }
        else
        {
            _world.S3.Remove(Registry, ".quilt/workflows/config.yml");
        }

        var error = await Should.ThrowAsync<QuiltException>(() => Ops.CreateFromS3Async(Request(copy: CopyMode.All), null, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldStartWith($"Copy mode All cannot copy into s3://{Registry} in catalog mode");
        error.Message.ShouldContain(hasConfig ? "does not list" : "has no workflow config");
        error.Message.ShouldEndWith("Nothing was written.");
        error.Hint!.ShouldContain("copy mode None");
        error.Field.ShouldBe(QuiltInputField.Copy);
        error.Hint!.ShouldContain("'successors'");
        _world.Registry.CallsTo("packageConstruct").ShouldBeEmpty();
        _world.Registry.CallsTo("packagePromote").ShouldBeEmpty();
        _world.Registry.RevisionHashes(Registry, "team/dataset").ShouldBeEmpty();
    }

    [Fact]
    public async Task Create_CopyAllRegistryNotItsOwnSuccessor_RefusedBeforeAnythingIsWritten()
    {
        _world.S3.Put(Source, "data/a.csv", Bytes("abc"));
        _world.WriteWorkflowConfig(Registry, NoSuccessorsConfig);

        var error = await Should.ThrowAsync<QuiltException>(() => Ops.CreateAsync(new CreatePackageRequest { PackageName = "team/dataset", TargetRegistry = StorageLocation.Parse("s3://" + Registry), Files = [StorageLocation.Parse($"s3://{Source}/data/a.csv")], Copy = CopyMode.All }, null, Ct));

        error.Message.ShouldContain("does not list");
        _world.Registry.CallsTo("packageConstruct").ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateFromS3_CopyAutoInsideRegistryBucket_DoesNotPromote()
    {
        _world.S3.Put(Registry, "raw/a.csv", Bytes("abc"));

        var result = await Ops.CreateFromS3Async(Request() with { Source = StorageLocation.Parse($"s3://{Registry}/raw"), Copy = CopyMode.Auto }, null, Ct);

        _world.Registry.CallsTo("packagePromote").ShouldBeEmpty();
        result.ObjectsReferenced.ShouldBe(1);
        ConstructEntries().ShouldHaveSingleItem()!["logicalKey"]!.GetValue<string>().ShouldBe("raw/a.csv");
    }

    [Fact]
    public async Task CreateFromS3_PromoteRefused_RollsBackTheConstructedRevision()
    {
        _world.S3.Put(Source, "data/a.csv", Bytes("abc"));
        _world.Registry.PromoteAllowed = false;

        var error = await Should.ThrowAsync<QuiltException>(() => Ops.CreateFromS3Async(Request(copy: CopyMode.All), null, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldStartWith("GraphQL package promotion failed: Invalid successor (InvalidSuccessor)");
        error.Message.ShouldContain("Rolled back: revision");
        error.Hint!.ShouldContain("successors");
        var deleted = _world.Registry.CallsTo("packageRevisionDelete").ShouldHaveSingleItem();
        deleted.Args["hash"]!.GetValue<string>().ShouldBe(_world.Registry.CallsTo("packagePromote").Single().Args["src"]!["hash"]!.GetValue<string>());
        _world.Registry.RevisionHashes(Registry, "team/dataset").ShouldBeEmpty();
        _world.AssertProtocolClean();
    }

    [Fact]
    public async Task CreateFromS3_PromoteAndRollbackBothFail_SaysWhatWasLeft()
    {
        _world.S3.Put(Source, "data/a.csv", Bytes("abc"));
        _world.Registry.Script("packagePromote", ScriptedAnswer.OperationError("PackageTooLargeToCopy", "Package too large to copy", new JsonObject { ["size"] = 10, ["max_size"] = 5 }));
        _world.Registry.Script("packageRevisionDelete", ScriptedAnswer.OperationError("Forbidden", "Not allowed to delete"));

        var error = await Should.ThrowAsync<QuiltException>(() => Ops.CreateFromS3Async(Request(copy: CopyMode.All), null, Ct));

        error.Message.ShouldContain("PackageTooLargeToCopy");
        error.Message.ShouldContain("\"max_size\": 5");
        error.Message.ShouldContain("Rollback could not delete revision");
        error.Message.ShouldContain("Not allowed to delete");
        _world.Registry.RevisionHashes(Registry, "team/dataset").Count.ShouldBe(1);
    }

    [Fact]
    public async Task CreateFromS3_PromoteFailsOnRevisionThatExistedBefore_LeavesItAlone()
    {
        _world.S3.Put(Source, "data/a.csv", Bytes("abc"));
        var first = await Ops.CreateFromS3Async(Request(), null, Ct);
        _world.Registry.PromoteAllowed = false;

        var error = await Should.ThrowAsync<QuiltException>(() => Ops.CreateFromS3Async(Request(copy: CopyMode.All), null, Ct));

        error.Message.ShouldContain("existed before this run");
        _world.Registry.CallsTo("packageRevisionDelete").ShouldBeEmpty();
        _world.Registry.Latest(Registry, "team/dataset").ShouldBe(first.TopHash);
    }

    [Fact]
    public async Task CreateFromS3_CancelledDuringPromote_RollsBack()
    {
        _world.S3.Put(Source, "data/a.csv", Bytes("abc"));
        using var cancel = new CancellationTokenSource();
        // The promotion never applies: the registry is still waiting when the caller cancels.
        _world.Registry.Script("packagePromote", new ScriptedAnswer.Delay(TimeSpan.FromSeconds(30)));

        var run = Ops.CreateFromS3Async(Request(copy: CopyMode.All), null, cancel.Token);
        while (_world.Registry.CallsTo("packagePromote").Count == 0 && !run.IsCompleted)
        {
            await Task.Delay(20, Ct);
        }

        await cancel.CancelAsync();
        var error = await Should.ThrowAsync<QuiltException>(() => run);

        error.Kind.ShouldBe(QuiltErrorKind.Cancelled);
        error.Message.ShouldContain("cancelled");
        error.Message.ShouldContain("Rolled back");
        _world.Registry.RevisionHashes(Registry, "team/dataset").ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateFromS3_PromoteAnswersAnotherHash_IntermediateRevisionRemoved()
    {
        _world.S3.Put(Source, "data/a.csv", Bytes("abc"));
        var promotedHash = new string('f', 64);
        _world.Registry.Script("packagePromote", new ScriptedAnswer.Value(new JsonObject
        {
            ["__typename"] = "PackagePushSuccess",
            ["package"] = new JsonObject { ["bucket"] = Registry, ["name"] = "team/dataset" },
            ["revision"] = new JsonObject { ["hash"] = promotedHash, ["modified"] = "2026-05-06T07:08:09Z", ["message"] = "first version", ["totalEntries"] = 1, ["totalBytes"] = 3.0 },
        }));

        var result = await Ops.CreateFromS3Async(Request(copy: CopyMode.All), null, Ct);

        result.TopHash.ShouldBe(promotedHash);
        var constructed = _world.Registry.CallsTo("packagePromote").Single().Args["src"]!["hash"]!.GetValue<string>();
        _world.Registry.CallsTo("packageRevisionDelete").ShouldHaveSingleItem().Args["hash"]!.GetValue<string>().ShouldBe(constructed);
        _world.Registry.RevisionHashes(Registry, "team/dataset").ShouldBeEmpty();
        result.Warnings.ShouldBeEmpty();
        _world.AssertProtocolClean();
    }

    [Fact]
    public async Task CreateFromS3_IntermediateRevisionCannotBeRemoved_Warns()
    {
        _world.S3.Put(Source, "data/a.csv", Bytes("abc"));
        _world.Registry.Script("packagePromote", new ScriptedAnswer.Value(new JsonObject
        {
            ["__typename"] = "PackagePushSuccess",
            ["package"] = new JsonObject { ["bucket"] = Registry, ["name"] = "team/dataset" },
            ["revision"] = new JsonObject { ["hash"] = new string('e', 64), ["modified"] = "2026-05-06T07:08:09Z", ["message"] = null, ["totalEntries"] = 1, ["totalBytes"] = 3.0 },
        }));
        _world.Registry.Script("packageRevisionDelete", new ScriptedAnswer.Http(502));
        // 'package' is queried for latest at validation, again before writing, for the revision hashes, then after.
        _world.Registry.Script("package", new ScriptedAnswer.Before(_ => { }));
        _world.Registry.Script("package", new ScriptedAnswer.Before(_ => { }));
        _world.Registry.Script("package", new ScriptedAnswer.Before(_ => { }));
        _world.Registry.Script("package", new ScriptedAnswer.Http(500));

        var result = await Ops.CreateFromS3Async(Request(copy: CopyMode.All), null, Ct);

        result.Warnings.Count.ShouldBe(2);
        result.Warnings[0].ShouldContain("intermediate revision");
        result.Warnings[0].ShouldContain("HTTP 502");
        result.Warnings[1].ShouldStartWith("Could not re-read team/dataset");
    }

    [Fact]
    public async Task CreateFromS3_LatestChangedDuringRun_ConflictAndNothingWritten()
    {
        _world.S3.Put(Source, "data/a.csv", Bytes("abc"));
        // The first 'package' query reads latest at validation; the second (just before writing) sees another push.
        _world.Registry.Script("package", new ScriptedAnswer.Before(_ => { }));
        _world.Registry.Script("package", new ScriptedAnswer.Before(r => r.Seed(Registry, "team/dataset", "someone else", ("x", $"s3://{Registry}/x", 1))));

        var error = await Should.ThrowAsync<QuiltException>(() => Ops.CreateFromS3Async(Request(), null, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.Conflict);
        error.Message.ShouldContain("latest was absent and is now");
        error.Message.ShouldContain("Nothing was written");
        _world.Registry.CallsTo("packageConstruct").ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateFromS3_LatestChangedWithForce_Proceeds()
    {
        _world.S3.Put(Source, "data/a.csv", Bytes("abc"));
        _world.Registry.Script("package", new ScriptedAnswer.Before(_ => { }));
        _world.Registry.Script("package", new ScriptedAnswer.Before(r => r.Seed(Registry, "team/dataset", "someone else", ("x", $"s3://{Registry}/x", 1))));

        var result = await Ops.CreateFromS3Async(Request() with { Force = true }, null, Ct);

        result.TopHash.ShouldBe(_world.Registry.Latest(Registry, "team/dataset"));
    }

    [Fact]
    public async Task CreateFromS3_SomeonePushesRightAfter_Warns()
    {
        _world.S3.Put(Source, "data/a.csv", Bytes("abc"));
        _world.Registry.Script("package", new ScriptedAnswer.Before(_ => { }));
        _world.Registry.Script("package", new ScriptedAnswer.Before(_ => { }));
        _world.Registry.Script("package", new ScriptedAnswer.Before(r => r.Seed(Registry, "team/dataset", "later", ("y", $"s3://{Registry}/y", 1))));

        var result = await Ops.CreateFromS3Async(Request(), null, Ct);

        result.Warnings.ShouldHaveSingleItem().ShouldContain("became latest after this one");
    }

    [Fact]
    public async Task CreateFromS3_RegistryHashLimit_ClientHashesAndRetries()
    {
        var small = Bytes("small object");
        _world.S3.Put(Source, "data/a.bin", small);
        _world.S3.Put(Source, "data/b.bin", Bytes("stored"), storeSha256: true);
        _world.Registry.MaxFilesToHash = 0;

        var result = await Ops.CreateFromS3Async(Request(), null, Ct);

        var calls = _world.Registry.CallsTo("packageConstruct");
        calls.Count.ShouldBe(2);
        var retried = ConstructEntries(1).Single(e => e!["logicalKey"]!.GetValue<string>() == "a.bin")!;
        retried["hash"]!["value"]!.GetValue<string>().ShouldBe(MemoryS3.QuiltHashOf(small).Value);
        result.HashesByStep.ShouldBe(new Dictionary<string, long> { ["small_object_get"] = 1, ["stored_checksum"] = 1 }, ignoreOrder: true);
        result.Warnings.ShouldHaveSingleItem().ShouldContain("TooManyFilesToHash");
        _world.AssertProtocolClean();
    }

    [Fact]
    public async Task CreateFromS3_ConstructInvalidInput_NamesTheEntry()
    {
        _world.S3.Put(Source, "data/a.csv", Bytes("1"));
        _world.S3.Put(Source, "data/b.csv", Bytes("2"));
        _world.Registry.Script("packageConstruct", ScriptedAnswer.InvalidInput("src.entries.1.meta", "Metadata does not match the entries schema", "WorkflowValidationError"));

        var error = await Should.ThrowAsync<QuiltException>(() => Ops.CreateFromS3Async(Request(), null, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldBe("GraphQL package creation failed: Metadata does not match the entries schema (WorkflowValidationError) at src.entries.1.meta (entry 'b.csv'). Nothing was written.");
        _world.Registry.CallsTo("packageRevisionDelete").ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateFromS3_ConstructOperationError_SurfacesRegistryReason()
    {
        _world.S3.Put(Source, "data/a.csv", Bytes("1"));
        _world.Registry.Script("packageConstruct", ScriptedAnswer.OperationError("QuiltException", "Workflow validation failed", new JsonObject { ["details"] = "message is required" }));

        var error = await Should.ThrowAsync<QuiltException>(() => Ops.CreateFromS3Async(Request(), null, Ct));

        error.Message.ShouldBe("GraphQL package creation failed: Workflow validation failed (QuiltException): message is required. Nothing was written.");
        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
    }

    [Fact]
    public async Task CreateFromS3_UserCannotWriteRegistry_AccessDenied()
    {
        _world.S3.Put(Source, "data/a.csv", Bytes("1"));
        var bob = _world.Registry.AddUser("bob-token", "bob", Source);
        _world.S3.CreateBucket("bob-src", versioned: false, bob.AccessKeyId, _alice.AccessKeyId);
        _world.S3.Put("bob-src", "a.csv", Bytes("1"));

        var error = await Should.ThrowAsync<QuiltException>(() => _world.For(bob).CreateFromS3Async(Request() with { Source = StorageLocation.Parse("s3://bob-src") }, null, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.AccessDenied);
        error.Message.ShouldStartWith("GraphQL package creation failed: Access denied to s3://reg-bucket (Forbidden)");
    }

    [Fact]
    public async Task CreateFromS3_UnreadableSourceBucket_NotFound()
    {
        _world.S3.CreateBucket("private-src", versioned: true, "AKIASOMEONE");

        var error = await Should.ThrowAsync<QuiltException>(() => Ops.CreateFromS3Async(Request() with { Source = StorageLocation.Parse("s3://private-src/x") }, null, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.NotFound);
        error.Message.ShouldContain("s3://private-src");
    }

    [Fact]
    public async Task CreateFromS3_NothingSelected_InvalidInput()
    {
        _world.S3.Put(Source, "data/a.csv", Bytes("1"));

        var error = await Should.ThrowAsync<QuiltException>(() => Ops.CreateFromS3Async(Request() with { IncludePatterns = ["*.parquet"] }, null, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldContain("No objects selected");
    }

    [Theory]
    [InlineData("/tmp/data", QuiltErrorKind.Unsupported)]
    [InlineData("file:///tmp/data", QuiltErrorKind.Unsupported)]
    [InlineData("s3://Bad_Bucket/x", QuiltErrorKind.InvalidInput)]
    [InlineData("s3://ok-bucket/x?versionId=1", QuiltErrorKind.InvalidInput)]
    [InlineData("", QuiltErrorKind.InvalidInput)]
    public async Task CreateFromS3_BadSource_Refused(string source, QuiltErrorKind kind)
    {
        var error = await Should.ThrowAsync<QuiltException>(() => Ops.CreateFromS3Async(Request() with { Source = StorageLocation.Parse(source) }, null, Ct));

        error.Kind.ShouldBe(kind);
        _world.Registry.Calls.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("s3://reg-bucket/sub", QuiltErrorKind.InvalidInput)]
    [InlineData("./local-registry", QuiltErrorKind.Unsupported)]
    [InlineData("file:///tmp/reg", QuiltErrorKind.Unsupported)]
    [InlineData("s3://UPPER", QuiltErrorKind.InvalidInput)]
    [InlineData("reg-bucket", QuiltErrorKind.Unsupported)] // A bare word is a local folder: catalog mode refuses it.
    [InlineData(" ", QuiltErrorKind.InvalidInput)]
    public async Task CreateFromS3_BadRegistry_Refused(string registry, QuiltErrorKind kind)
    {
        var error = await Should.ThrowAsync<QuiltException>(() => Ops.CreateFromS3Async(Request() with { TargetRegistry = StorageLocation.Parse(registry) }, null, Ct));

        error.Kind.ShouldBe(kind);
    }

    [Theory]
    [InlineData("no-slash")]
    [InlineData("a/b/c")]
    [InlineData("bad name/x")]
    public async Task CreateFromS3_BadPackageName_InvalidInput(string name)
    {
        var error = await Should.ThrowAsync<QuiltException>(() => Ops.CreateFromS3Async(Request() with { PackageName = name }, null, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
    }

    [Fact]
    public async Task CreateFromS3_TargetBucketOtherThanRegistryWithCopy_InvalidInput()
    {
        var error = await Should.ThrowAsync<QuiltException>(() => Ops.CreateFromS3Async(Request(copy: CopyMode.All) with { TargetBucket = StorageLocation.S3("elsewhere") }, null, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldContain("registry bucket s3://reg-bucket");
    }

    [Fact]
    public async Task CreateFromS3_TargetBucketWithoutCopy_IsIgnored()
    {
        _world.S3.Put(Source, "data/a.csv", Bytes("1"));

        var result = await Ops.CreateFromS3Async(Request() with { TargetBucket = StorageLocation.S3("elsewhere") }, null, Ct);

        result.TopHash.ShouldNotBeNull();
    }

    [Theory]
    [InlineData("[1, 2]", "array")]
    [InlineData("\"text\"", "string")]
    [InlineData("{\"x\": NaN}", "NaN at $.x")]
    [InlineData("{\"x\": [1, {\"y\": -Infinity}]}", "-Infinity at $.x[1].y")]
    public async Task CreateFromS3_BadMetadata_InvalidInput(string metadata, string expected)
    {
        var error = await Should.ThrowAsync<QuiltException>(() => Ops.CreateFromS3Async(Request() with { Metadata = JsonText.Parse(metadata) }, null, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldContain(expected);
    }

    [Theory]
    [InlineData(CopyMode.None)]
    [InlineData(CopyMode.All)]
    public async Task CreateFromS3_NonFiniteMetadata_RefusedByTheSharedRulesBeforeAnyRegistryCall(CopyMode copy)
    {
        _world.S3.Put(Source, "data/a.csv", Bytes("1"));

        var error = await Should.ThrowAsync<PackageMetadataException>(() => Ops.CreateFromS3Async(Request(copy: copy) with { Metadata = JsonText.Parse("""{"runs": [{"score": Infinity}]}""") }, null, Ct));

        error.Violation.ShouldBe(PackageMetadataViolation.NonFiniteNumber);
        error.JsonPath.ShouldBe("$.runs[0].score");
        _world.Registry.Calls.ShouldBeEmpty();
        _world.Registry.RevisionHashes(Registry, "team/dataset").ShouldBeEmpty();
        (await Ops.ListPackagesAsync(StorageLocation.Parse("s3://" + Registry), Ct)).Packages.ShouldBeEmpty();
    }

    [Fact]
    public async Task Create_NaNMetadata_RefusedByTheSharedRulesBeforeAnyRegistryCall()
    {
        _world.S3.Put(Source, "data/a.csv", Bytes("1"));

        var error = await Should.ThrowAsync<PackageMetadataException>(() => Ops.CreateAsync(new CreatePackageRequest { PackageName = "team/dataset", TargetRegistry = StorageLocation.Parse("s3://" + Registry), Files = [StorageLocation.Parse($"s3://{Source}/data/a.csv")], Metadata = JsonText.Parse("""{"x": NaN}""") }, null, Ct));

        error.JsonPath.ShouldBe("$.x");
        _world.Registry.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateFromS3_HugeMetadata_InvalidInput()
    {
        var huge = new QuiltJsonObject([new("blob", new QuiltJsonString(new string('x', 1_000_001)))]);

        var error = await Should.ThrowAsync<QuiltException>(() => Ops.CreateFromS3Async(Request() with { Metadata = huge }, null, Ct));

        error.Message.ShouldContain("the limit is 1,000,000");
    }

    [Fact]
    public async Task CreateFromS3_NullMetadata_SendsNoUserMeta()
    {
        _world.S3.Put(Source, "data/a.csv", Bytes("1"));

        await Ops.CreateFromS3Async(Request() with { Metadata = QuiltJsonNull.Instance, Description = "" }, null, Ct);

        PushParams()["userMeta"].ShouldBeNull();
        PushParams()["message"].ShouldBeNull();
    }

    [Fact]
    public async Task CreateFromS3_ReportsProgressPhases()
    {
        _world.S3.Put(Source, "data/a.csv", Bytes("1"));
        var phases = new List<ProgressUpdate>();

        await Ops.CreateFromS3Async(Request(copy: CopyMode.All), new SynchronousProgress(phases.Add), Ct);

        phases.Select(p => p.Phase).Distinct().ShouldBe(["listing", "hashing", "committing", "copying"]);
        phases[^1].ShouldBe(new ProgressUpdate("committing", 2, 2, 0, null));
    }

    private sealed class SynchronousProgress(Action<ProgressUpdate> report) : IProgress<ProgressUpdate>
    {
        private readonly Lock _gate = new();

        public void Report(ProgressUpdate value)
        {
            lock (_gate)
            {
                report(value);
            }
        }
    }
}
