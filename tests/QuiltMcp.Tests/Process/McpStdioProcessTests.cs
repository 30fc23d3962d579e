using System.Collections.Concurrent;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using Quilt.Testing;

namespace QuiltMcp.Tests.Process;

/// <summary>Drives the real <c>quilt-mcp serve</c> process over stdio with the SDK's client (local folders, no AWS).</summary>
public sealed class McpStdioProcessTests : IDisposable
{
    private static readonly string[] ExpectedTools =
    [
        "bucket_object_info", "bucket_object_upload_url", "bucket_objects_list", "package_browse",
        "package_create", "package_create_from_s3", "package_diff", "package_list",
    ];

    /// <summary>What every tool must declare: (readOnlyHint, destructiveHint, idempotentHint).</summary>
    private static readonly Dictionary<string, (bool ReadOnly, bool Destructive, bool Idempotent)> ToolAnnotations = new(StringComparer.Ordinal)
    {
        ["package_create_from_s3"] = (false, true, false),
        ["package_create"] = (false, true, false),
        ["bucket_object_upload_url"] = (false, true, true),
        ["bucket_objects_list"] = (true, false, true),
        ["bucket_object_info"] = (true, false, true),
        ["package_browse"] = (true, false, true),
        ["package_list"] = (true, false, true),
        ["package_diff"] = (true, false, true),
    };

    private readonly string _root = Directory.CreateTempSubdirectory("quilt-mcp-proc-").FullName;

    [Fact]
    public async Task ToolsList_RealProcess_HasEveryToolWithSchemasAndAnnotations()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await QuiltMcpProcess.StartStdioAsync(cancellationToken: ct);

        var tools = await client.ListToolsAsync(cancellationToken: ct);

        tools.Select(t => t.Name).Order(StringComparer.Ordinal).ShouldBe(ExpectedTools);
        foreach (var tool in tools)
        {
            tool.Description.ShouldNotBeNullOrWhiteSpace();
            tool.ProtocolTool.OutputSchema.ShouldNotBeNull(tool.Name);
            tool.ProtocolTool.Annotations.ShouldNotBeNull(tool.Name);

            // Clients validate schemas strictly: every property schema must be an object, never the boolean 'true'.
            foreach (var property in tool.ProtocolTool.OutputSchema!.Value.GetProperty("properties").EnumerateObject())
            {
                property.Value.ValueKind.ShouldBe(JsonValueKind.Object, $"{tool.Name}.{property.Name}");
            }
        }

        var create = tools.Single(t => t.Name == "package_create_from_s3");
        var properties = create.JsonSchema.GetProperty("properties");
        foreach (var parameter in new[] { "source_bucket", "source_prefix", "package_name", "target_registry", "target_bucket", "description", "include_patterns", "exclude_patterns", "preserve_structure", "metadata", "message", "copy", "preserve_metadata", "workflow", "dry_run", "force" })
        {
            properties.TryGetProperty(parameter, out _).ShouldBeTrue(parameter);
        }

        tools.Single(t => t.Name == "bucket_objects_list").ProtocolTool.Annotations!.ReadOnlyHint.ShouldBe(true);
    }

    [Fact]
    public async Task ToolsList_RealProcess_AnnotationsMatchWhatEachToolDoes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await QuiltMcpProcess.StartStdioAsync(cancellationToken: ct);

        var tools = await client.ListToolsAsync(cancellationToken: ct);

        // Writers create objects in S3 and can overwrite them (copies over existing keys of unversioned buckets,
        // `latest` with force, any key through a presigned PUT): readOnlyHint false, destructiveHint true. Each
        // hint is compared, so that a missing one (null) fails as much as a wrong one.
        tools.Select(t => t.Name).Order(StringComparer.Ordinal).ShouldBe(ToolAnnotations.Keys.Order(StringComparer.Ordinal));
        foreach (var tool in tools)
        {
            var annotations = tool.ProtocolTool.Annotations.ShouldNotBeNull(tool.Name);
            var expected = ToolAnnotations[tool.Name];
            annotations.ReadOnlyHint.ShouldBe(expected.ReadOnly, tool.Name + " readOnlyHint");
            annotations.DestructiveHint.ShouldBe(expected.Destructive, tool.Name + " destructiveHint");
            annotations.IdempotentHint.ShouldBe(expected.Idempotent, tool.Name + " idempotentHint");
            annotations.OpenWorldHint.ShouldBe(true, tool.Name + " openWorldHint");
        }
    }

    [Fact]
    public async Task PackageCreateFromS3_LocalFolders_CreatesPackageThatVerifiesAndReportsProgress()
    {
        var ct = TestContext.Current.CancellationToken;
        var source = Path.Combine(_root, "src");
        var registry = Path.Combine(_root, "reg");
        for (var i = 0; i < 30; i++)
        {
            Directory.CreateDirectory(Path.Combine(source, $"d{i % 3}"));
            File.WriteAllText(Path.Combine(source, $"d{i % 3}", $"f{i}.txt"), new string('x', i));
        }

        await using var client = await QuiltMcpProcess.StartStdioAsync(cancellationToken: ct);
        var updates = new ConcurrentQueue<ProgressNotificationValue>();
        var result = await client.CallToolAsync(
            "package_create_from_s3",
            new Dictionary<string, object?>
            {
                ["source_bucket"] = new Uri(source).AbsoluteUri,
                ["package_name"] = "mcp/test",
                ["target_registry"] = new Uri(registry).AbsoluteUri,
                ["message"] = "over stdio",
                ["metadata"] = new Dictionary<string, object?> { ["origin"] = "mcp" },
            },
            new SyncProgress(updates.Enqueue),
            cancellationToken: ct);

        result.IsError.ShouldNotBe(true, string.Join(" ", result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(c => c.Text)));
        var structured = result.StructuredContent!.Value;
        var topHash = structured.GetProperty("top_hash").GetString()!;
        topHash.Length.ShouldBe(64);
        structured.GetProperty("entries").GetInt64().ShouldBe(30);
        updates.ShouldNotBeEmpty();

        var verify = await Cli.CliRunner.RunAsync("verify", "mcp/test", "--registry", registry);
        verify.ExitCode.ShouldBe(0, verify.Error);
    }

    [Theory]
    [InlineData("not-a-name")]
    [InlineData("a/b/c")]
    public async Task PackageCreateFromS3_InvalidName_IsToolErrorWithNextStep(string name)
    {
        var ct = TestContext.Current.CancellationToken;
        Directory.CreateDirectory(Path.Combine(_root, "src"));
        File.WriteAllText(Path.Combine(_root, "src", "a.txt"), "a");
        await using var client = await QuiltMcpProcess.StartStdioAsync(cancellationToken: ct);

        var result = await client.CallToolAsync(
            "package_create_from_s3",
            new Dictionary<string, object?>
            {
                ["source_bucket"] = new Uri(Path.Combine(_root, "src")).AbsoluteUri,
                ["package_name"] = name,
                ["target_registry"] = new Uri(Path.Combine(_root, "reg")).AbsoluteUri,
            },
            cancellationToken: ct);

        result.IsError.ShouldBe(true);
        var text = string.Join(" ", result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(c => c.Text));
        text.ShouldContain(name);
        text.ShouldNotContain("   at ");
        Directory.Exists(Path.Combine(_root, "reg")).ShouldBeFalse();
    }

    [Theory]
    [InlineData("empty-selection", "No objects selected")]
    [InlineData("missing-source", "does not exist")]
    [InlineData("flat-collision", "data.csv")]
    [InlineData("metadata-not-object", "JSON object")]
    [InlineData("bad-copy-mode", "copy must be")]
    public async Task PackageCreateFromS3_BadInput_IsToolErrorAndWritesNothing(string kind, string expected)
    {
        var ct = TestContext.Current.CancellationToken;
        var source = Path.Combine(_root, "src");
        Directory.CreateDirectory(Path.Combine(source, "a"));
        Directory.CreateDirectory(Path.Combine(source, "b"));
        File.WriteAllText(Path.Combine(source, "a", "data.csv"), "1");
        File.WriteAllText(Path.Combine(source, "b", "data.csv"), "2");
        var registry = Path.Combine(_root, "reg");
        var arguments = new Dictionary<string, object?>
        {
            ["source_bucket"] = new Uri(kind == "missing-source" ? Path.Combine(_root, "missing") : source).AbsoluteUri,
            ["package_name"] = "mcp/bad",
            ["target_registry"] = new Uri(registry).AbsoluteUri,
        };
        switch (kind)
        {
            case "empty-selection":
                arguments["include_patterns"] = new[] { "*.parquet" };
                break;
            case "flat-collision":
                arguments["preserve_structure"] = false;
                break;
            case "metadata-not-object":
                arguments["metadata"] = new[] { 1, 2 };
                break;
            case "bad-copy-mode":
                arguments["copy"] = "sometimes";
                break;
        }

        await using var client = await QuiltMcpProcess.StartStdioAsync(cancellationToken: ct);
        var result = await client.CallToolAsync("package_create_from_s3", arguments, cancellationToken: ct);

        result.IsError.ShouldBe(true);
        var text = string.Join(" ", result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(c => c.Text));
        text.ShouldContain(expected);
        RegistryFiles(registry).ShouldBeEmpty();
    }

    [Fact]
    public async Task PackageCreate_WithoutFiles_SaysFilesAreRequired()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var client = await QuiltMcpProcess.StartStdioAsync(cancellationToken: ct);

        var result = await client.CallToolAsync(
            "package_create",
            new Dictionary<string, object?> { ["package_name"] = "a/b", ["target_registry"] = new Uri(Path.Combine(_root, "reg")).AbsoluteUri },
            cancellationToken: ct);

        result.IsError.ShouldBe(true);
        string.Join(" ", result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(c => c.Text))
            .ShouldSatisfyAllConditions(
                text => text.ShouldContain("Package creation requires a list of files: S3 object locations (s3://bucket/key). (parameter 'files')"),
                text => text.ShouldContain("bucket_object_upload_url"),
                text => text.ShouldContain("package_create_from_s3"));
    }

    [Fact]
    public async Task PackageCreateFromS3_CancelledByClient_LeavesRegistryEmpty()
    {
        var ct = TestContext.Current.CancellationToken;
        var source = Path.Combine(_root, "src");
        var registry = Path.Combine(_root, "reg");
        Directory.CreateDirectory(source);
        for (var i = 0; i < 3000; i++)
        {
            File.WriteAllText(Path.Combine(source, $"f{i:0000}.bin"), new string('y', 2048));
        }

        await using var client = await QuiltMcpProcess.StartStdioAsync(new Dictionary<string, string?> { ["QUILT_CONCURRENCY"] = "1" }, ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Cancel as soon as the server reports progress: the run is then listing or hashing, with 3,000 copies ahead.
        var progress = new SyncProgress(_ => cts.Cancel());

        await Should.ThrowAsync<OperationCanceledException>(() => client.CallToolAsync(
            "package_create_from_s3",
            new Dictionary<string, object?>
            {
                ["source_bucket"] = new Uri(source).AbsoluteUri,
                ["package_name"] = "mcp/cancel",
                ["target_registry"] = new Uri(registry).AbsoluteUri,
                ["copy"] = "all",
            },
            progress,
            cancellationToken: cts.Token).AsTask());

        // The server rolls back after the cancellation notification; wait for it (bounded), then check.
        for (var i = 0; i < 100 && RegistryFiles(registry).Count > 0; i++)
        {
            await Task.Delay(100, ct);
        }

        RegistryFiles(registry).ShouldBeEmpty();

        // The server is still healthy after the cancelled call.
        var tools = await client.ListToolsAsync(cancellationToken: ct);
        tools.Count.ShouldBe(8);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static List<string> RegistryFiles(string registry) =>
        Directory.Exists(registry) ? [.. Directory.EnumerateFiles(registry, "*", SearchOption.AllDirectories)] : [];

    private sealed class SyncProgress(Action<ProgressNotificationValue> onReport) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) => onReport(value);
    }
}
