using System.Text.Json;
using Quilt.Core.Errors;
using Quilt.Core.Json;
using Quilt.Packaging.Workflows;

namespace Quilt.Packaging.Tests.Workflows;

public sealed class WorkflowValidatorTests
{
    private const string ConfigUrl = "s3://qwf/.quilt/workflows/config.yml?versionId=1f89";
    private const string MetaUrl = "s3://qwf/.quilt/workflows/meta.schema.json";
    private const string EntriesUrl = "s3://qwf/.quilt/workflows/entries.schema.json";

    private const string RealisticConfig = """
        version:
          base: "1.1"
        is_workflow_required: true
        default_workflow: experiment
        workflows:
          experiment:
            name: Experiment
            description: Raw instrument output
            handle_pattern: ^(lab|instruments)/
            metadata_schema: meta
            entries_schema: entries
            is_message_required: true
          meta-only:
            name: Metadata only
            metadata_schema: meta
          free:
            name: Anything goes
        schemas:
          meta:
            url: s3://qwf/.quilt/workflows/meta.schema.json
          entries:
            url: s3://qwf/.quilt/workflows/entries.schema.json
        """;

    private const string MetaSchema = """
        {
          "$schema": "http://json-schema.org/draft-07/schema#",
          "type": "object",
          "required": ["title", "instrument"],
          "properties": {
            "title": {"type": "string", "minLength": 3},
            "instrument": {"enum": ["microscope", "sequencer"]},
            "runs": {"type": "integer", "minimum": 1}
          }
        }
        """;

    private const string EntriesSchema = """
        {
          "type": "array",
          "minItems": 1,
          "items": {
            "type": "object",
            "properties": {
              "logical_key": {"type": "string", "pattern": "^(README\\.md|data/.+\\.csv)$"},
              "size": {"type": "integer", "maximum": 1000000},
              "meta": {"type": "object", "required": ["operator"]}
            }
          },
          "contains": {"properties": {"logical_key": {"const": "README.md"}}}
        }
        """;

    private static readonly QuiltJsonValue GoodMeta = Json("""{"title": "Run 42", "instrument": "microscope", "runs": 3}""");

    private static readonly IReadOnlyList<WorkflowEntry> GoodEntries =
    [
        new("README.md", 120, Json("""{"operator": "ana"}""")),
        new("data/a.csv", 5000, Json("""{"operator": "bo"}""")),
    ];

    private static WorkflowConfig Config(string yaml = RealisticConfig) => WorkflowConfig.Parse(YamlJson.FromYaml(yaml), ConfigUrl);

    private static Dictionary<string, LoadedSchema> Schemas(string meta = MetaSchema, string entries = EntriesSchema) => new()
    {
        ["meta"] = new LoadedSchema("meta", MetaUrl + "?versionId=decd", Json(meta)),
        ["entries"] = new LoadedSchema("entries", EntriesUrl + "?versionId=e1", Json(entries)),
    };

    private static QuiltJsonValue Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return Convert(document.RootElement);
    }

    private static QuiltJsonValue Convert(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => new QuiltJsonObject(e.EnumerateObject().Select(p => new KeyValuePair<string, QuiltJsonValue>(p.Name, Convert(p.Value)))),
        JsonValueKind.Array => new QuiltJsonArray(e.EnumerateArray().Select(Convert)),
        JsonValueKind.String => new QuiltJsonString(e.GetString()!),
        JsonValueKind.Number => e.GetRawText().IndexOfAny(['.', 'e', 'E']) >= 0
            ? new QuiltJsonFloat(e.GetDouble())
            : new QuiltJsonInteger(System.Numerics.BigInteger.Parse(e.GetRawText(), System.Globalization.CultureInfo.InvariantCulture)),
        JsonValueKind.True => QuiltJsonBool.True,
        JsonValueKind.False => QuiltJsonBool.False,
        _ => QuiltJsonNull.Instance,
    };

    private static QuiltException Fails(Action action)
    {
        var error = Should.Throw<QuiltException>(action);
        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Hint.ShouldNotBeNullOrEmpty();
        return error;
    }

    // ---- Select ----

    [Fact]
    public void Select_NoConfigAndNoRequest_IsNone()
    {
        WorkflowValidator.Select(null, WorkflowRequest.Default).ShouldBe(WorkflowSelection.None);
    }

    [Fact]
    public void Select_NoConfigButExplicitNone_Throws()
    {
        Fails(() => WorkflowValidator.Select(null, WorkflowRequest.ExplicitNone)).Message
            .ShouldBe("None workflow is specified, but no workflows config exist.");
    }

    [Fact]
    public void Select_NoConfigButWorkflowId_Throws()
    {
        Fails(() => WorkflowValidator.Select(null, WorkflowRequest.For("alpha"))).Message
            .ShouldBe("'alpha' workflow is specified, but no workflows config exist.");
    }

    [Fact]
    public void Select_NotSpecified_UsesDefaultWorkflow()
    {
        var selection = WorkflowValidator.Select(Config(), WorkflowRequest.Default);

        selection.Id.ShouldBe("experiment");
        selection.Workflow!.Name.ShouldBe("Experiment");
    }

    [Fact]
    public void Select_NotSpecifiedWithIdAnyway_StillUsesDefault()
    {
        WorkflowValidator.Select(Config(), new WorkflowRequest(false, "free")).Id.ShouldBe("experiment");
    }

    [Fact]
    public void Select_GivenId_UsesIt()
    {
        WorkflowValidator.Select(Config(), WorkflowRequest.For("free")).Id.ShouldBe("free");
    }

    [Fact]
    public void Select_ExplicitNoneWhileRequired_Throws()
    {
        var error = Fails(() => WorkflowValidator.Select(Config(), WorkflowRequest.ExplicitNone));

        error.Message.ShouldBe("Workflow required, but none specified.");
        error.Hint.ShouldBe("Choose a workflow: 'experiment', 'meta-only', 'free'.");
    }

    [Fact]
    public void Select_NoDefaultWhileRequiredByDefault_Throws()
    {
        Fails(() => WorkflowValidator.Select(Config("version: \"1\"\nworkflows: {a: {name: A}}\n"), WorkflowRequest.Default)).Message
            .ShouldBe("Workflow required, but none specified.");
    }

    [Fact]
    public void Select_ExplicitNoneWhenNotRequired_IsNone()
    {
        var config = Config("version: \"1\"\nis_workflow_required: false\ndefault_workflow: a\nworkflows: {a: {name: A}}\n");

        WorkflowValidator.Select(config, WorkflowRequest.ExplicitNone).ShouldBe(WorkflowSelection.None);
        WorkflowValidator.Select(config, WorkflowRequest.Default).Id.ShouldBe("a");
    }

    [Fact]
    public void Select_UnknownId_ListsKnownIds()
    {
        Fails(() => WorkflowValidator.Select(Config(), WorkflowRequest.For("exp"))).Message
            .ShouldBe("There is no 'exp' workflow in config. Known workflows: 'experiment', 'meta-only', 'free'.");
    }

    [Fact]
    public void Select_EmptyId_IsUnknown()
    {
        Fails(() => WorkflowValidator.Select(Config(), WorkflowRequest.For(""))).Message.ShouldStartWith("There is no '' workflow in config.");
    }

    [Fact]
    public void Select_DefaultNamesMissingWorkflow_Throws()
    {
        var error = Fails(() => WorkflowValidator.Select(Config("version: \"1\"\ndefault_workflow: gone\nworkflows: {a: {name: A}}\n"), WorkflowRequest.Default));

        error.Message.ShouldBe("There is no 'gone' workflow in config. Known workflows: 'a'.");
        error.Hint!.ShouldContain("default_workflow");
    }

    [Fact]
    public void WorkflowRequest_Factories_ExpressTheThreeCases()
    {
        WorkflowRequest.Default.ShouldBe(new WorkflowRequest(false, null));
        WorkflowRequest.ExplicitNone.ShouldBe(new WorkflowRequest(true, null));
        WorkflowRequest.For("x").ShouldBe(new WorkflowRequest(true, "x"));
        Should.Throw<ArgumentNullException>(() => WorkflowRequest.For(null!));
        Should.Throw<ArgumentNullException>(() => WorkflowValidator.Select(null, null!));
    }

    // ---- RequiredSchemas ----

    [Fact]
    public void RequiredSchemaIds_MetadataFirstThenEntries()
    {
        var config = Config();

        WorkflowValidator.RequiredSchemaIds(config, WorkflowValidator.Select(config, WorkflowRequest.Default)).ShouldBe(["meta", "entries"]);
        WorkflowValidator.RequiredSchemas(config, WorkflowValidator.Select(config, WorkflowRequest.For("meta-only")))
            .ShouldBe([new WorkflowSchemaReference("meta", MetaUrl)]);
        WorkflowValidator.RequiredSchemaIds(config, WorkflowValidator.Select(config, WorkflowRequest.For("free"))).ShouldBeEmpty();
        WorkflowValidator.RequiredSchemaIds(config, WorkflowSelection.None).ShouldBeEmpty();
    }

    [Fact]
    public void RequiredSchemaIds_SameSchemaForBoth_ListedOnce()
    {
        var config = Config("version: \"1\"\nworkflows: {a: {name: A, metadata_schema: s, entries_schema: s}}\nschemas: {s: {url: s3://b/s.json}}\n");

        WorkflowValidator.RequiredSchemaIds(config, WorkflowValidator.Select(config, WorkflowRequest.For("a"))).ShouldBe(["s"]);
    }

    [Fact]
    public void RequiredSchemaIds_EmptyId_IsNoSchema()
    {
        var config = Config("version: \"1\"\nworkflows: {a: {name: A, metadata_schema: \"\"}}\n");

        WorkflowValidator.RequiredSchemaIds(config, WorkflowValidator.Select(config, WorkflowRequest.For("a"))).ShouldBeEmpty();
    }

    [Fact]
    public void RequiredSchemas_IdMissingFromSchemas_Throws()
    {
        var config = Config("version: \"1\"\nworkflows: {a: {name: A, entries_schema: nope}}\n");

        Fails(() => WorkflowValidator.RequiredSchemas(config, WorkflowValidator.Select(config, WorkflowRequest.For("a")))).Message
            .ShouldBe($"There is no 'nope' in schemas of workflows config {ConfigUrl} (used by workflow 'a').");
    }

    // ---- Validate: header shape ----

    [Fact]
    public void Validate_NoConfig_ReturnsNull()
    {
        WorkflowValidator.Validate(null, WorkflowSelection.None, "a/b", null, null, [], Schemas()).ShouldBeNull();
    }

    [Fact]
    public void Validate_NoConfigButWorkflowSelected_IsACallerBug()
    {
        var workflow = Config().Workflows["free"];

        Should.Throw<ArgumentException>(() => WorkflowValidator.Validate(null, new WorkflowSelection(workflow), "a/b", null, null, [], Schemas()));
    }

    [Fact]
    public void Validate_NoWorkflowChosen_HeaderHasNullIdAndNoSchemas()
    {
        var config = Config("version: \"1\"\nis_workflow_required: false\nworkflows: {a: {name: A}}\n");

        var header = WorkflowValidator.Validate(config, WorkflowSelection.None, "a/b", null, null, [], Schemas());

        header.ShouldBe(new QuiltJsonObject([new("id", QuiltJsonNull.Instance), new("config", new QuiltJsonString(ConfigUrl))]));
    }

    [Fact]
    public void Validate_WorkflowWithoutSchemas_HeaderHasIdAndConfigOnly()
    {
        var config = Config();

        var header = WorkflowValidator.Validate(config, WorkflowValidator.Select(config, WorkflowRequest.For("free")), "any/name", null, null, [], new Dictionary<string, LoadedSchema>());

        header.ShouldNotBeNull();
        header.Names.ShouldBe(["id", "config"]);
        header["id"].ShouldBe(new QuiltJsonString("free"));
        header["config"].ShouldBe(new QuiltJsonString(ConfigUrl));
    }

    [Fact]
    public void Validate_RealisticValidPackage_ReturnsHeaderWithEffectiveSchemaUrls()
    {
        var config = Config();
        var selection = WorkflowValidator.Select(config, WorkflowRequest.Default);

        var header = WorkflowValidator.Validate(config, selection, "lab/run-42", "first run", GoodMeta, GoodEntries, Schemas());

        header.ShouldBe(new QuiltJsonObject([
            new("id", new QuiltJsonString("experiment")),
            new("config", new QuiltJsonString(ConfigUrl)),
            new("schemas", new QuiltJsonObject([
                new("meta", new QuiltJsonString(MetaUrl + "?versionId=decd")),
                new("entries", new QuiltJsonString(EntriesUrl + "?versionId=e1")),
            ])),
        ]));
    }

    [Fact]
    public void Validate_SameSchemaForMetadataAndEntries_ListedOnceInHeader()
    {
        var config = Config("version: \"1\"\nworkflows: {a: {name: A, metadata_schema: s, entries_schema: s}}\nschemas: {s: {url: s3://b/s.json}}\n");
        var schemas = new Dictionary<string, LoadedSchema> { ["s"] = new("s", "s3://b/s.json?versionId=9", Json("""{"type": ["object", "array"]}""")) };

        var header = WorkflowValidator.Validate(config, WorkflowValidator.Select(config, WorkflowRequest.For("a")), "a/b", null, null, GoodEntries, schemas)!;

        header["schemas"].ShouldBe(new QuiltJsonObject([new("s", new QuiltJsonString("s3://b/s.json?versionId=9"))]));
    }

    // ---- Validate: failures, in quilt3's order ----

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Validate_MessageRequiredButMissing_Throws(string? message)
    {
        var config = Config();

        // The name and metadata are also wrong: the message is checked first.
        Fails(() => WorkflowValidator.Validate(config, WorkflowValidator.Select(config, WorkflowRequest.Default), "bad/name", message, null, [], Schemas()))
            .Message.ShouldBe("Commit message is required by workflow 'experiment', but none was provided.");
    }

    [Fact]
    public void Validate_NameNotMatchingHandlePattern_Throws()
    {
        var config = Config();

        Fails(() => WorkflowValidator.Validate(config, WorkflowValidator.Select(config, WorkflowRequest.Default), "team/lab", "m", null, [], Schemas()))
            .Message.ShouldBe("Package name 'team/lab' doesn't match the pattern '^(lab|instruments)/' required by workflow 'experiment'.");
    }

    [Fact]
    public void Validate_HandlePattern_IsSearchedNotAnchored()
    {
        var config = Config("version: \"1\"\nworkflows: {a: {name: A, handle_pattern: prod}}\n");
        var selection = WorkflowValidator.Select(config, WorkflowRequest.For("a"));

        WorkflowValidator.Validate(config, selection, "team/production", null, null, [], Schemas()).ShouldNotBeNull();
        Fails(() => WorkflowValidator.Validate(config, selection, "team/staging", null, null, [], Schemas()));
    }

    [Fact]
    public void Validate_InvalidHandlePattern_Throws()
    {
        var config = Config("version: \"1\"\nworkflows: {a: {name: A, handle_pattern: \"(\"}}\n");

        Fails(() => WorkflowValidator.Validate(config, WorkflowValidator.Select(config, WorkflowRequest.For("a")), "a/b", null, null, [], Schemas()))
            .Message.ShouldStartWith("The handle_pattern of workflow 'a' in the workflows config is invalid: '(' is not a valid regular expression");
    }

    [Fact]
    public void Validate_MetadataInvalid_ListsErrorsWithPaths()
    {
        var config = Config();
        var meta = Json("""{"title": "ab", "runs": 0}""");

        var error = Fails(() => WorkflowValidator.Validate(config, WorkflowValidator.Select(config, WorkflowRequest.Default), "lab/x", "m", meta, GoodEntries, Schemas()));

        error.Message.ShouldBe(
            $"Metadata failed validation for workflow 'experiment' (schema 'meta', {MetaUrl}?versionId=decd): "
            + "'instrument' is a required property; /title: 'ab' is too short (minimum length 3); /runs: 0 is less than the minimum of 1.");
    }

    [Fact]
    public void Validate_MetadataAbsent_ValidatesAsEmptyObject()
    {
        var config = Config();

        Fails(() => WorkflowValidator.Validate(config, WorkflowValidator.Select(config, WorkflowRequest.For("meta-only")), "a/b", null, null, [], Schemas()))
            .Message.ShouldEndWith("): 'title' is a required property; 'instrument' is a required property.");
    }

    [Fact]
    public void Validate_MetadataExplicitNull_ValidatesAsNull()
    {
        var config = Config();

        Fails(() => WorkflowValidator.Validate(config, WorkflowValidator.Select(config, WorkflowRequest.For("meta-only")), "a/b", null, QuiltJsonNull.Instance, [], Schemas()))
            .Message.ShouldEndWith("): null is not of type 'object'.");
    }

    [Fact]
    public void Validate_EntriesInvalid_NamesEntriesByLogicalKey()
    {
        var config = Config();
        IReadOnlyList<WorkflowEntry> entries =
        [
            new("data/a.csv", 5_000_000, Json("""{"operator": "bo"}""")),
            new("notes.txt", 10, null),
        ];

        var error = Fails(() => WorkflowValidator.Validate(config, WorkflowValidator.Select(config, WorkflowRequest.Default), "lab/x", "m", GoodMeta, entries, Schemas()));

        error.Message.ShouldBe(
            $"Package entries failed validation for workflow 'experiment' (schema 'entries', {EntriesUrl}?versionId=e1): "
            + "/0/size (entry 'data/a.csv'): 5000000 is greater than the maximum of 1000000; "
            + "/1/logical_key (entry 'notes.txt'): 'notes.txt' does not match '^(README\\\\.md|data/.+\\\\.csv)$'; "
            + "/1/meta (entry 'notes.txt'): 'operator' is a required property; "
            + "[{'logical_key': 'data/a.csv', 'size': 5000000, 'meta': {'operator': 'bo'}}, {'l... does not contain items matching the given schema.");
    }

    [Fact]
    public void Validate_NoEntries_FailsMinItemsAtTheRoot()
    {
        var config = Config();

        Fails(() => WorkflowValidator.Validate(config, WorkflowValidator.Select(config, WorkflowRequest.Default), "lab/x", "m", GoodMeta, [], Schemas()))
            .Message.ShouldEndWith("): [] is too short (minimum 1 items); [] does not contain items matching the given schema.");
    }

    [Fact]
    public void Validate_ManyBadEntries_TruncatesTheList()
    {
        var config = Config();
        var entries = Enumerable.Range(0, 50).Select(i => new WorkflowEntry($"data/{i}.csv", 1, null)).Prepend(new WorkflowEntry("README.md", 1, Json("""{"operator": "x"}"""))).ToList();

        var error = Fails(() => WorkflowValidator.Validate(config, WorkflowValidator.Select(config, WorkflowRequest.Default), "lab/x", "m", GoodMeta, entries, Schemas()));

        error.Message.ShouldEndWith("; and 40 more errors.");
        error.Message.ShouldContain("/10/meta (entry 'data/9.csv'): 'operator' is a required property");
        error.Message.ShouldNotContain("data/10.csv");
    }

    [Fact]
    public void Validate_EntriesDocument_HasQuiltShape()
    {
        var document = WorkflowValidator.EntriesDocument([new("a/b.csv", 3, null), new("c", long.MaxValue, Json("""{"k": [1]}"""))]);

        document.ShouldBe(new QuiltJsonArray([
            new QuiltJsonObject([new("logical_key", new QuiltJsonString("a/b.csv")), new("size", new QuiltJsonInteger(3)), new("meta", QuiltJsonObject.Empty)]),
            new QuiltJsonObject([new("logical_key", new QuiltJsonString("c")), new("size", new QuiltJsonInteger(long.MaxValue)), new("meta", Json("""{"k": [1]}"""))]),
        ]));
    }

    [Fact]
    public void Validate_EntryErrorPathBeyondEntries_IsLeftAsIs()
    {
        var config = Config("version: \"1\"\nworkflows: {a: {name: A, entries_schema: s}}\nschemas: {s: {url: s3://b/s.json}}\n");
        var schemas = new Dictionary<string, LoadedSchema> { ["s"] = new("s", "s3://b/s.json", Json("""{"items": {"properties": {"size": {"maximum": 0}}}}""")) };

        Fails(() => WorkflowValidator.Validate(config, WorkflowValidator.Select(config, WorkflowRequest.For("a")), "a/b", null, null, [new("x", 5, null)], schemas))
            .Message.ShouldContain("/0/size (entry 'x'): 5 is greater than the maximum of 0");
    }

    [Fact]
    public void Validate_SchemaWithRef_IsRejectedBeforeOtherChecks()
    {
        var config = Config();
        var schemas = Schemas(meta: """{"properties": {"a": {"$ref": "#/definitions/x"}}}""");

        var error = Fails(() => WorkflowValidator.Validate(config, WorkflowValidator.Select(config, WorkflowRequest.Default), "bad/name", null, null, [], schemas));

        error.Message.ShouldBe($"Schema 'meta' ({MetaUrl}?versionId=decd) used by workflow 'experiment' is not valid: The schema uses $ref at /properties/a: $ref is not supported in workflow schemas.");
    }

    [Fact]
    public void Validate_SchemaWithOtherDraft_IsRejected()
    {
        var config = Config();
        var schemas = Schemas(entries: """{"$schema": "https://json-schema.org/draft/2020-12/schema"}""");

        Fails(() => WorkflowValidator.Validate(config, WorkflowValidator.Select(config, WorkflowRequest.Default), "lab/x", "m", GoodMeta, GoodEntries, schemas))
            .Message.ShouldContain("is not valid: Unsupported meta-schema: https://json-schema.org/draft/2020-12/schema.");
    }

    [Fact]
    public void Validate_SchemaNotLoaded_IsACallerBug()
    {
        var config = Config();

        Should.Throw<ArgumentException>(() => WorkflowValidator.Validate(config, WorkflowValidator.Select(config, WorkflowRequest.Default), "lab/x", "m", GoodMeta, GoodEntries, new Dictionary<string, LoadedSchema>()))
            .Message.ShouldContain("Schema 'meta' was not loaded");
    }

    [Fact]
    public void Validate_NullArguments_Throw()
    {
        var config = Config();
        var selection = WorkflowSelection.None;

        Should.Throw<ArgumentNullException>(() => WorkflowValidator.Validate(config, null!, "a/b", null, null, [], Schemas()));
        Should.Throw<ArgumentNullException>(() => WorkflowValidator.Validate(config, selection, null!, null, null, [], Schemas()));
        Should.Throw<ArgumentNullException>(() => WorkflowValidator.Validate(config, selection, "a/b", null, null, null!, Schemas()));
        Should.Throw<ArgumentNullException>(() => WorkflowValidator.Validate(config, selection, "a/b", null, null, [], null!));
        Should.Throw<ArgumentNullException>(() => WorkflowValidator.RequiredSchemas(null!, selection));
        Should.Throw<ArgumentNullException>(() => WorkflowValidator.RequiredSchemas(config, null!));
    }
}
