using System.Collections.Concurrent;
using Amazon.S3.Model;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using Quilt.Packaging;
using Quilt.Storage;
using Quilt.Testing;

namespace QuiltMcp.Tests.Process;

/// <summary>The real <c>quilt-mcp serve</c> process over stdio, creating a package from a moto bucket into a moto registry.</summary>
public sealed class McpMotoProcessTests(MotoFixture moto)
{
    [Fact]
    public async Task PackageCreateFromS3_MotoBuckets_PackageVerifiesAndProgressArrives()
    {
        var ct = TestContext.Current.CancellationToken;
        var source = await moto.Server.CreateBucketAsync(versioned: true, ct);
        var registry = await moto.Server.CreateBucketAsync(versioned: true, ct);
        using var raw = moto.Server.CreateRawClient();
        for (var i = 0; i < 40; i++)
        {
            await raw.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = $"runs/r{i % 4}/part-{i:00}.csv", ContentBody = new string('z', i + 1), Metadata = { ["run"] = $"r{i % 4}" } }, ct);
        }

        var environment = new Dictionary<string, string?>
        {
            ["AWS_ENDPOINT_URL"] = moto.Server.Endpoint,
            ["AWS_ACCESS_KEY_ID"] = MotoServer.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = MotoServer.SecretAccessKey,
            ["AWS_REGION"] = MotoServer.Region,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        };
        await using var client = await QuiltMcpProcess.StartStdioAsync(environment, ct);
        var updates = new ConcurrentQueue<ProgressNotificationValue>();

        var result = await client.CallToolAsync(
            "package_create_from_s3",
            new Dictionary<string, object?>
            {
                ["source_bucket"] = source,
                ["source_prefix"] = "runs/",
                ["package_name"] = "moto/runs",
                ["target_registry"] = registry,
                ["copy"] = "all",
                ["message"] = "from moto",
            },
            new Progress(updates.Enqueue),
            cancellationToken: ct);

        result.IsError.ShouldNotBe(true, string.Join(" ", result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(c => c.Text)));
        var structured = result.StructuredContent!.Value;
        structured.GetProperty("entries").GetInt64().ShouldBe(40);
        structured.GetProperty("objects_copied").GetInt64().ShouldBe(40);
        updates.ShouldNotBeEmpty();

        using var store = moto.Server.CreateStore();
        var operations = new DirectQuiltOperations(new StoreProvider(new LocalObjectStore(), () => store));
        var verify = await operations.VerifyAsync("moto/runs", StorageLocation.S3(registry), cancellationToken: ct);
        verify.IsValid.ShouldBeTrue(string.Join("; ", verify.Problems));
        verify.EntriesChecked.ShouldBe(40);
    }

    private sealed class Progress(Action<ProgressNotificationValue> onReport) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) => onReport(value);
    }
}
