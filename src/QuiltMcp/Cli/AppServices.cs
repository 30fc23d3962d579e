using Microsoft.Extensions.Logging;
using Quilt.Packaging;
using Quilt.Storage;

namespace QuiltMcp.Cli;

/// <summary>Builds the services the CLI and the MCP server share, from the environment.</summary>
internal static class AppServices
{
    /// <summary>Direct-mode operations over a local store and (lazily) the S3 store of the AWS environment.</summary>
    public static DirectQuiltOperations CreateDirect(ILoggerFactory? loggerFactory = null)
    {
        var stores = new StoreProvider(new LocalObjectStore(), () => S3ObjectStore.FromEnvironment());
        return new DirectQuiltOperations(stores, CreateOptions(), loggerFactory?.CreateLogger("quilt-mcp"));
    }

    /// <summary>Options from the environment: <c>QUILT_CATALOG_URL</c>, <c>QUILT_CONCURRENCY</c>.</summary>
    public static PackagingOptions CreateOptions()
    {
        var options = new PackagingOptions { CatalogUrl = Environment.GetEnvironmentVariable("QUILT_CATALOG_URL") };
        if (int.TryParse(Environment.GetEnvironmentVariable("QUILT_CONCURRENCY"), out var concurrency) && concurrency > 0)
        {
            options = options with { Concurrency = concurrency };
        }

        return options;
    }
}
