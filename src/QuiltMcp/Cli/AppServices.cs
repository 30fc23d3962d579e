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
        // QUILT_CONCURRENCY bounds the objects worked on and the store's requests in flight, as in catalog mode.
        var options = PackagingOptions.FromEnvironment();
        var stores = new StoreProvider(new LocalObjectStore(), () => S3ObjectStore.FromEnvironment(new S3StoreOptions { MaxConcurrency = options.Concurrency }));
        return new DirectQuiltOperations(stores, options, loggerFactory?.CreateLogger("quilt-mcp"));
    }
}
