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

    /// <summary>Options from the environment: <c>QUILT_CATALOG_URL</c>, <c>QUILT_CONCURRENCY</c>, <c>QUILT_MCP_STATE_DIR</c>.</summary>
    public static PackagingOptions CreateOptions()
    {
        var options = new PackagingOptions { CatalogUrl = Environment.GetEnvironmentVariable("QUILT_CATALOG_URL"), StateDirectory = StateDirectory() };
        if (int.TryParse(Environment.GetEnvironmentVariable("QUILT_CONCURRENCY"), out var concurrency) && concurrency > 0)
        {
            options = options with { Concurrency = concurrency };
        }

        return options;
    }

    /// <summary>
    /// Where run journals live: <c>QUILT_MCP_STATE_DIR</c>, else <c>$XDG_STATE_HOME/quilt-mcp</c>, else
    /// <c>~/.local/state/quilt-mcp</c> (the XDG default); null when there is no home folder to put it in.
    /// </summary>
    public static string? StateDirectory()
    {
        var explicitDir = Environment.GetEnvironmentVariable("QUILT_MCP_STATE_DIR");
        if (!string.IsNullOrWhiteSpace(explicitDir))
        {
            return Path.GetFullPath(explicitDir);
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathFullyQualified(xdg))
        {
            return Path.Combine(xdg, "quilt-mcp");
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".local", "state", "quilt-mcp");
    }
}
