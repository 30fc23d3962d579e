using Microsoft.Extensions.Logging;
using Quilt.Catalog.Tests.Fakes;
using Quilt.Packaging.Contracts;

namespace Quilt.Catalog.Tests.TestRegistry;

/// <summary>
/// One catalog-mode test setup: the test registry, an in-memory S3 whose access follows the registry's users, a
/// connection whose S3 stores (one per token) sign with the users' current temporary credentials, and captured logs.
/// With a clock, S3 judges credential expiry by it too.
/// </summary>
public sealed class CatalogWorld : IAsyncDisposable
{
    private CatalogWorld(FakeRegistry registry, MemoryS3 s3, CapturingLoggerProvider logs, ILoggerFactory loggers, CatalogConnection connection)
    {
        Registry = registry;
        S3 = s3;
        Logs = logs;
        Loggers = loggers;
        Connection = connection;
    }

    public FakeRegistry Registry { get; }

    public MemoryS3 S3 { get; }

    public CapturingLoggerProvider Logs { get; }

    public ILoggerFactory Loggers { get; }

    public CatalogConnection Connection { get; }

    public static async Task<CatalogWorld> StartAsync(GraphQLValidator validator, Func<CatalogOptions, CatalogOptions>? configure = null, HttpClient? http = null, TimeProvider? clock = null)
    {
        var registry = await FakeRegistry.StartAsync(validator);
        var s3 = new MemoryS3 { Clock = clock ?? TimeProvider.System };
        var logs = new CapturingLoggerProvider();
        var loggers = logs.CreateFactory();
        var options = new CatalogOptions { RegistryUrl = registry.Url.AbsoluteUri, CatalogUrl = "https://catalog.example.com/" };
        options = configure?.Invoke(options) ?? options;
        var connection = new CatalogConnection(options, s3.StoreFor, http, loggers, clock);
        return new CatalogWorld(registry, s3, logs, loggers, connection);
    }

    public IQuiltOperations For(RegistryUser user) => Connection.ForToken(user.Token);

    /// <summary>Writes <paramref name="yaml"/> as the registry bucket's .quilt/workflows/config.yml.</summary>
    public void WriteWorkflowConfig(string bucket, string yaml) =>
        S3.Put(bucket, ".quilt/workflows/config.yml", System.Text.Encoding.UTF8.GetBytes(yaml), contentType: "application/x-yaml");

    /// <summary>
    /// A workflow config that lists the registry under <c>successors</c>, as the registry needs for packagePromote into
    /// itself (catalog mode reads it before copying).
    /// </summary>
    public void AllowPromotion(string bucket) => WriteWorkflowConfig(bucket, $"""
        version: "1"
        is_workflow_required: false
        workflows:
          plain:
            name: Plain
        successors:
          s3://{bucket}:
            title: This registry
        """);

    /// <summary>Every document and variable set the client sent validated, and every answer projected cleanly.</summary>
    public void AssertProtocolClean()
    {
        Registry.ValidationFailures.ShouldBeEmpty();
        Registry.ExecutionErrors.ShouldBeEmpty();
    }

    public async ValueTask DisposeAsync()
    {
        Connection.Dispose();
        Loggers.Dispose();
        await Registry.DisposeAsync();
    }
}
