using Amazon.S3.Model;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Quilt.Packaging;
using Quilt.Storage;
using Quilt.Testing;

namespace QuiltMcp.Tests.Process;

/// <summary>
/// Children of the tests get their configuration from the test alone: a parent environment full of wrong AWS and
/// Quilt settings (endpoints that refuse connections, bad keys, a missing profile, a catalog mode, config files with
/// their own endpoint) reaches neither the CLI nor the MCP server.
/// </summary>
public sealed class ChildEnvironmentProcessTests(MotoFixture moto) : IDisposable
{
    private const string DeadEndpoint = "http://127.0.0.1:9";

    private readonly string _root = Directory.CreateTempSubdirectory("quilt-child-env-").FullName;

    [Fact]
    public async Task CreateFromS3Cli_PoisonedParentEnvironment_ChildIgnoresItAndWorksAgainstMoto()
    {
        var ct = TestContext.Current.CancellationToken;
        var (source, registry) = await SeedAsync(ct);
        var state = ChildEnvironment.NewStateDirectory();
        var poison = Poison();

        using var cli = await QuiltMcpCli.RunAsync(
            ["create-from-s3", $"s3://{source}/data/", "--name", "env/poisoned", "--registry", $"s3://{registry}", "--copy", "all", "--json"],
            QuiltMcpCli.S3Environment(moto.Server.Endpoint, state),
            parent => Apply(parent, poison),
            cancellationToken: ct);

        cli.ExitCode.ShouldBe(0, cli.Transcript);
        foreach (var (name, value) in poison)
        {
            cli.Environment.GetValueOrDefault(name).ShouldNotBe(value, name);
        }

        cli.Environment["AWS_CONFIG_FILE"].ShouldBe(ChildEnvironment.NoConfigFile);
        File.Exists(ChildEnvironment.NoConfigFile).ShouldBeFalse();
        cli.Environment["QUILT_MCP_STATE_DIR"].ShouldBe(state);
        Directory.Exists(Path.Combine(state, "runs")).ShouldBeTrue("the run journal goes to the test's state folder");
        File.Exists(Path.Combine(_root, "poisoned-state")).ShouldBeTrue();
        new FileInfo(Path.Combine(_root, "poisoned-state")).Length.ShouldBe(0);

        using var store = moto.Server.CreateStore();
        var operations = new DirectQuiltOperations(new StoreProvider(new LocalObjectStore(), () => store));
        var verify = await operations.VerifyAsync("env/poisoned", StorageLocation.S3(registry), cancellationToken: ct);
        verify.IsValid.ShouldBeTrue(string.Join("; ", verify.Problems));
        verify.EntriesChecked.ShouldBe(5);
    }

    [Fact]
    public async Task LsCli_PoisonedParentWithoutScrubbing_Fails()
    {
        // The control: the same poison, passed on as an unscrubbed parent would pass it, breaks the child. Without
        // this the test above could pass because the poison is harmless.
        var ct = TestContext.Current.CancellationToken;
        var (source, _) = await SeedAsync(ct);
        var environment = new Dictionary<string, string?>(Poison())
        {
            ["AWS_ENDPOINT_URL"] = moto.Server.Endpoint,
            ["AWS_ACCESS_KEY_ID"] = MotoServer.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = MotoServer.SecretAccessKey,
            ["AWS_REGION"] = MotoServer.Region,
            ["QUILT_MCP_STATE_DIR"] = ChildEnvironment.NewStateDirectory(),
        };

        using var cli = await QuiltMcpCli.RunAsync(["ls", $"s3://{source}/data/"], environment, cancellationToken: ct);

        cli.ExitCode.ShouldNotBe(0, cli.Transcript);
    }

    [Fact]
    public async Task ServeStdio_PoisonedParentEnvironment_ToolsReachMoto()
    {
        var ct = TestContext.Current.CancellationToken;
        var (source, _) = await SeedAsync(ct);
        var parent = ChildEnvironment.Build(); // this process's environment, scrubbed: a clean base
        foreach (var (name, value) in Poison())
        {
            parent[name] = value;
        }

        await using var client = await QuiltMcpProcess.StartStdioAsync(
            new Dictionary<string, string?>
            {
                ["AWS_ENDPOINT_URL"] = moto.Server.Endpoint,
                ["AWS_ACCESS_KEY_ID"] = MotoServer.AccessKeyId,
                ["AWS_SECRET_ACCESS_KEY"] = MotoServer.SecretAccessKey,
                ["AWS_REGION"] = MotoServer.Region,
            },
            parent,
            ct);

        var listed = await client.CallToolAsync("bucket_objects_list", new Dictionary<string, object?> { ["bucket"] = source, ["prefix"] = "data/" }, cancellationToken: ct);

        listed.IsError.ShouldNotBe(true, string.Join(" ", listed.Content.OfType<TextContentBlock>().Select(c => c.Text)));
        listed.StructuredContent!.Value.GetProperty("objects").GetArrayLength().ShouldBe(5);
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

    private static void Apply(IDictionary<string, string?> parent, IReadOnlyDictionary<string, string?> poison)
    {
        foreach (var (name, value) in poison)
        {
            parent[name] = value;
        }
    }

    /// <summary>What a careless caller may have exported; each of these alone breaks a run against moto.</summary>
    private Dictionary<string, string?> Poison()
    {
        var config = Path.Combine(_root, "poisoned-config");
        File.WriteAllText(config, $"[default]\nregion = eu-poison-1\nendpoint_url = {DeadEndpoint}\n\n[profile poison]\nregion = eu-poison-1\nendpoint_url = {DeadEndpoint}\n");
        var credentials = Path.Combine(_root, "poisoned-credentials");
        File.WriteAllText(credentials, "[default]\naws_access_key_id = poison\naws_secret_access_key = poison\n\n[poison]\naws_access_key_id = poison\naws_secret_access_key = poison\n");
        var state = Path.Combine(_root, "poisoned-state");
        File.WriteAllText(state, ""); // a file, not a folder: a run that used it could not journal
        return new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["AWS_ENDPOINT_URL"] = DeadEndpoint,
            ["AWS_ENDPOINT_URL_S3"] = DeadEndpoint,
            ["AWS_ACCESS_KEY_ID"] = "poison",
            ["AWS_SECRET_ACCESS_KEY"] = "poison",
            ["AWS_SESSION_TOKEN"] = "poison",
            ["AWS_PROFILE"] = "poison",
            ["AWS_DEFAULT_PROFILE"] = "poison",
            ["AWS_REGION"] = "eu-poison-1",
            ["AWS_DEFAULT_REGION"] = "eu-poison-1",
            ["AWS_CONFIG_FILE"] = config,
            ["AWS_SHARED_CREDENTIALS_FILE"] = credentials,
            ["AWS_CA_BUNDLE"] = Path.Combine(_root, "no-such-ca.pem"),
            ["AWS_MAX_ATTEMPTS"] = "abc",
            ["AWS_RETRY_MODE"] = "bogus",
            ["QUILT_CONCURRENCY"] = "abc",
            ["QUILT_MODE"] = "catalog",
            ["QUILT_CATALOG_URL"] = DeadEndpoint,
            ["QUILT_REGISTRY_URL"] = DeadEndpoint,
            ["QUILT_JWT"] = "poison",
            ["QUILT_MCP_STATE_DIR"] = state,
        };
    }

    private async Task<(string Source, string Registry)> SeedAsync(CancellationToken ct)
    {
        var source = await moto.Server.CreateBucketAsync(versioned: true, ct);
        var registry = await moto.Server.CreateBucketAsync(versioned: true, ct);
        using var raw = moto.Server.CreateRawClient();
        for (var i = 0; i < 5; i++)
        {
            await raw.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = $"data/f{i}.txt", ContentBody = $"file {i}" }, ct);
        }

        return (source, registry);
    }
}
