using Quilt.Core.Errors;
using Quilt.Core.Json;
using Quilt.Core.Manifests;
using Quilt.Packaging.Contracts;

namespace Quilt.Packaging.Tests.Pipeline;

public sealed class PackageCreatorWorkflowTests
{
    private const string Config = """
        version: "1"
        is_workflow_required: true
        default_workflow: strict
        workflows:
          strict:
            name: Strict
            is_message_required: true
            handle_pattern: ^lab/
            metadata_schema: meta
          open:
            name: Open
        schemas:
          meta:
            url: SCHEMA_URL
        """;

    private const string MetaSchema = """
        {"type": "object", "required": ["project"], "properties": {"project": {"type": "string", "minLength": 3}}}
        """;

    private static LocalPackagingFixture WithWorkflows()
    {
        var f = new LocalPackagingFixture();
        var dir = Path.Combine(f.Registry, ".quilt", "workflows");
        Directory.CreateDirectory(dir);
        var schemaPath = Path.Combine(dir, "meta.schema.json");
        File.WriteAllText(schemaPath, MetaSchema);
        File.WriteAllText(Path.Combine(dir, "config.yml"), Config.Replace("SCHEMA_URL", new Uri(schemaPath).AbsoluteUri, StringComparison.Ordinal));
        f.Write("a.txt", "1");
        return f;
    }

    private static CreateFromS3Request Request(LocalPackagingFixture f) => new()
    {
        Source = StorageLocation.Parse(f.Source),
        PackageName = "lab/pkg",
        TargetRegistry = StorageLocation.Parse(f.Registry),
        Message = "m",
        Metadata = new QuiltJsonObject([new("project", new QuiltJsonString("alpha"))]),
    };

    [Fact]
    public async Task Create_DefaultWorkflowSatisfied_WritesWorkflowHeaderAsQuilt3Does()
    {
        using var f = WithWorkflows();

        var result = await f.Operations.CreateFromS3Async(Request(f), cancellationToken: TestContext.Current.CancellationToken);

        var manifest = ManifestReader.Read(File.ReadAllBytes(Path.Combine(f.Registry, ".quilt", "packages", result.TopHash!)));
        manifest.Header.Names.ShouldBe(["version", "user_meta", "workflow", "message"]);
        var workflow = (QuiltJsonObject)manifest.Header["workflow"];
        workflow["id"].ShouldBe(new QuiltJsonString("strict"));
        ((QuiltJsonString)workflow["config"]).Value.ShouldEndWith(".quilt/workflows/config.yml");
        ((QuiltJsonString)((QuiltJsonObject)workflow["schemas"])["meta"]).Value.ShouldEndWith("meta.schema.json");
    }

    [Fact]
    public async Task Create_MissingRequiredMessage_FailsBeforeWriting()
    {
        using var f = WithWorkflows();
        var before = f.RegistryFiles();

        var error = await Should.ThrowAsync<QuiltException>(() => f.Operations.CreateFromS3Async(Request(f) with { Message = null }, cancellationToken: TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldContain("message", Case.Insensitive);
        f.RegistryFiles().ShouldBe(before);
    }

    [Fact]
    public async Task Create_MetadataViolatesSchema_FailsNamingTheProperty()
    {
        using var f = WithWorkflows();
        var before = f.RegistryFiles();

        var error = await Should.ThrowAsync<QuiltException>(() => f.Operations.CreateFromS3Async(
            Request(f) with { Metadata = new QuiltJsonObject([new("project", new QuiltJsonString("x"))]) },
            cancellationToken: TestContext.Current.CancellationToken));

        error.Message.ShouldContain("project");
        f.RegistryFiles().ShouldBe(before);
    }

    [Fact]
    public async Task Create_HandlePatternMismatch_Fails()
    {
        using var f = WithWorkflows();

        var error = await Should.ThrowAsync<QuiltException>(() => f.Operations.CreateFromS3Async(Request(f) with { PackageName = "other/pkg" }, cancellationToken: TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldContain("other/pkg");
    }

    [Fact]
    public async Task Create_ExplicitNoWorkflowWhileRequired_Fails()
    {
        using var f = WithWorkflows();

        var error = await Should.ThrowAsync<QuiltException>(() => f.Operations.CreateFromS3Async(Request(f) with { Workflow = WorkflowChoice.None }, cancellationToken: TestContext.Current.CancellationToken));

        error.Message.ShouldContain("Workflow required");
    }

    [Fact]
    public async Task Create_NamedWorkflowWithoutSchema_Succeeds()
    {
        using var f = WithWorkflows();

        var result = await f.Operations.CreateFromS3Async(Request(f) with { Workflow = WorkflowChoice.Named("open"), Message = null, PackageName = "any/name" }, cancellationToken: TestContext.Current.CancellationToken);

        var browse = await f.Operations.BrowseAsync("any/name", StorageLocation.Parse(f.Registry), result.TopHash, TestContext.Current.CancellationToken);
        browse.Entries.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Create_UnknownWorkflow_ListsKnownIds()
    {
        using var f = WithWorkflows();

        var error = await Should.ThrowAsync<QuiltException>(() => f.Operations.CreateFromS3Async(Request(f) with { Workflow = WorkflowChoice.Named("nope") }, cancellationToken: TestContext.Current.CancellationToken));

        error.Message.ShouldContain("nope");
    }

    private static LocalPackagingFixture WithSizeLimit(int maxBytes)
    {
        var f = new LocalPackagingFixture();
        var dir = Path.Combine(f.Registry, ".quilt", "workflows");
        Directory.CreateDirectory(dir);
        var schemaPath = Path.Combine(dir, "entries.schema.json");
        File.WriteAllText(schemaPath, """{"type": "array", "items": {"properties": {"size": {"maximum": MAX}}}}""".Replace("MAX", maxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        File.WriteAllText(
            Path.Combine(dir, "config.yml"),
            $"version: \"1\"\ndefault_workflow: small\nworkflows:\n  small:\n    name: Small\n    entries_schema: entries\nschemas:\n  entries:\n    url: {new Uri(schemaPath).AbsoluteUri}\n");
        return f;
    }

    [Fact]
    public async Task Create_FilesWhoseSizesOnlyReadingTells_EntriesSchemaSeesTheRealSizes()
    {
        using var f = WithSizeLimit(5);
        var small = f.Write("small.txt", "12345");
        var large = f.Write("large.txt", "123456789");
        var before = f.RegistryFiles();

        var error = await Should.ThrowAsync<QuiltException>(() => f.Operations.CreateAsync(
            new CreatePackageRequest { PackageName = "lab/files", TargetRegistry = StorageLocation.Parse(f.Registry), Files = [StorageLocation.Parse(small), StorageLocation.Parse(large)], Copy = CopyMode.None },
            cancellationToken: TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldContain("entry 'large.txt'");
        error.Message.ShouldContain("9 is greater than the maximum of 5");
        f.RegistryFiles().ShouldBe(before);

        var result = await f.Operations.CreateAsync(
            new CreatePackageRequest { PackageName = "lab/files", TargetRegistry = StorageLocation.Parse(f.Registry), Files = [StorageLocation.Parse(small)], Copy = CopyMode.None },
            cancellationToken: TestContext.Current.CancellationToken);
        result.TotalBytes.ShouldBe(5);
    }

    [Fact]
    public async Task Create_FolderEntryOverSizeLimit_FailsNamingItBeforeWriting()
    {
        using var f = WithSizeLimit(3);
        f.Write("ok.txt", "123");
        f.Write("big/too-large.txt", "1234");
        var before = f.RegistryFiles();

        var error = await Should.ThrowAsync<QuiltException>(() => f.Operations.CreateFromS3Async(
            new CreateFromS3Request { Source = StorageLocation.Parse(f.Source), PackageName = "lab/folder", TargetRegistry = StorageLocation.Parse(f.Registry) },
            cancellationToken: TestContext.Current.CancellationToken));

        error.Message.ShouldContain("entry 'big/too-large.txt'");
        f.RegistryFiles().ShouldBe(before);
    }
}
