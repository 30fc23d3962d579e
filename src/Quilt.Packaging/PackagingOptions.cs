namespace Quilt.Packaging;

/// <summary>
/// Tunables of the packaging services, the same in both modes. <see cref="FromEnvironment"/> is the one place the
/// <c>QUILT_*</c> tunables are read; catalog mode takes them from here too.
/// </summary>
public sealed record PackagingOptions
{
    /// <summary><c>QUILT_CONCURRENCY</c>: objects worked on at once.</summary>
    public const string ConcurrencyVariable = "QUILT_CONCURRENCY";

    /// <summary><c>QUILT_CATALOG_URL</c>: the catalog's web address, for links in results.</summary>
    public const string CatalogUrlVariable = "QUILT_CATALOG_URL";

    /// <summary><c>QUILT_MCP_STATE_DIR</c>: where run journals live.</summary>
    public const string StateDirectoryVariable = "QUILT_MCP_STATE_DIR";

    /// <summary>The default of <see cref="Concurrency"/>: the S3 store's request bound.</summary>
    public const int DefaultConcurrency = 32;

    /// <summary>The default of <see cref="SmallObjectThreshold"/>: 1 MiB.</summary>
    public const long DefaultSmallObjectThreshold = 1024 * 1024;

    /// <summary>The default of <see cref="MaxMetadataBytes"/> (quilt's recommendation: 1 MB).</summary>
    public const int DefaultMaxMetadataBytes = 1_000_000;

    /// <summary>The default of <see cref="MaxPlanEntriesShown"/>.</summary>
    public const int DefaultMaxPlanEntriesShown = 1000;

    /// <summary>Objects worked on at once (HEAD, GET, copy). Default 32, the S3 store's request bound.</summary>
    public int Concurrency { get; init; } = DefaultConcurrency;

    /// <summary>Objects below this size, kept in place, are read with one GET and hashed in memory. Default 1 MiB.</summary>
    public long SmallObjectThreshold { get; init; } = DefaultSmallObjectThreshold;

    /// <summary>Objects at or above this size are copied with multipart UploadPartCopy. Default 8 MiB.</summary>
    public long MultipartThreshold { get; init; } = 8 * 1024 * 1024;

    /// <summary>Maximum serialized size of package metadata, in bytes (quilt's recommendation: 1 MB).</summary>
    public int MaxMetadataBytes { get; init; } = DefaultMaxMetadataBytes;

    /// <summary>How many planned entries a dry run lists before truncating.</summary>
    public int MaxPlanEntriesShown { get; init; } = DefaultMaxPlanEntriesShown;

    /// <summary>The Quilt catalog's web URL, for links in results; null when none is configured.</summary>
    public string? CatalogUrl { get; init; }

    /// <summary>
    /// Where runs keep their durable journals (<c>runs/&lt;id&gt;.jsonl</c>), so that a run killed outright can be undone by
    /// <c>cleanup</c> or by the next run against the same registry; null keeps journals in memory only.
    /// </summary>
    public string? StateDirectory { get; init; }

    /// <summary>
    /// After a failure or cancellation, how long copies and commit writes already in flight may take to finish, so that
    /// the rollback knows what exists; a request still running then is cut and its object looked up. Default 2 minutes.
    /// </summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The clock, replaceable in tests (pointer names are Unix seconds).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// Reads <c>QUILT_CATALOG_URL</c>, <c>QUILT_CONCURRENCY</c> (a positive integer; anything else keeps the default) and
    /// the state folder: <c>QUILT_MCP_STATE_DIR</c>, else <c>$XDG_STATE_HOME/quilt-mcp</c>, else
    /// <c>~/.local/state/quilt-mcp</c> (the XDG default; none when there is no home folder).
    /// </summary>
    /// <param name="getVariable">Reads a variable; <see cref="Environment.GetEnvironmentVariable(string)"/> by default.</param>
    public static PackagingOptions FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var catalog = getVariable(CatalogUrlVariable);
        return new PackagingOptions
        {
            CatalogUrl = string.IsNullOrWhiteSpace(catalog) ? null : catalog.Trim(),
            Concurrency = int.TryParse(getVariable(ConcurrencyVariable), out var concurrency) && concurrency > 0 ? concurrency : DefaultConcurrency,
            StateDirectory = StateDirectoryFrom(getVariable),
        };
    }

    private static string? StateDirectoryFrom(Func<string, string?> getVariable)
    {
        var explicitDir = getVariable(StateDirectoryVariable);
        if (!string.IsNullOrWhiteSpace(explicitDir))
        {
            return Path.GetFullPath(explicitDir);
        }

        var xdg = getVariable("XDG_STATE_HOME");
        if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathFullyQualified(xdg))
        {
            return Path.Combine(xdg, "quilt-mcp");
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".local", "state", "quilt-mcp");
    }
}
