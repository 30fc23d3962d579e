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
        return new DirectQuiltOperations(stores, PackagingOptions.FromEnvironment(), loggerFactory?.CreateLogger("quilt-mcp"));
    }
}
