namespace Quilt.Storage;

/// <summary>Options for a server-side copy.</summary>
public sealed record CopyOptions
{
    /// <summary>Objects at or above this size are copied with multipart UploadPartCopy in quilt chunks. Default 8 MiB.</summary>
    public long MultipartThreshold { get; init; } = 8 * 1024 * 1024;

    /// <summary>The source size when already known (saves a HEAD).</summary>
    public long? KnownSize { get; init; }

    /// <summary>Copy only if the source still has this ETag.</summary>
    public string? IfMatchETag { get; init; }
}
