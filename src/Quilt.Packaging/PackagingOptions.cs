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

    /// <summary>The clock, replaceable in tests (pointer names are Unix seconds).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
