namespace Quilt.Packaging;

/// <summary>Tunables of the packaging services.</summary>
public sealed record PackagingOptions
{
    /// <summary>Objects worked on at once (HEAD, GET, copy). Default 32, the S3 store's request bound.</summary>
    public int Concurrency { get; init; } = 32;

    /// <summary>Objects below this size, kept in place, are read with one GET and hashed in memory. Default 1 MiB.</summary>
    public long SmallObjectThreshold { get; init; } = 1024 * 1024;

    /// <summary>Objects at or above this size are copied with multipart UploadPartCopy. Default 8 MiB.</summary>
    public long MultipartThreshold { get; init; } = 8 * 1024 * 1024;

    /// <summary>Maximum serialized size of package metadata, in bytes (quilt's recommendation: 1 MB).</summary>
    public int MaxMetadataBytes { get; init; } = 1_000_000;

    /// <summary>How many planned entries a dry run lists before truncating.</summary>
    public int MaxPlanEntriesShown { get; init; } = 1000;

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
}
