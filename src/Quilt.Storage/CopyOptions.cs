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

    /// <summary>Told about the multipart upload a large copy starts, so that a journal can abort it after a crash.</summary>
    public IUploadObserver? Uploads { get; init; }

    /// <summary>
    /// Cancelled when the caller stops issuing work: a multipart copy then starts no further part and aborts its upload.
    /// The request that creates the object (CopyObject, CompleteMultipartUpload) follows the method's own token instead,
    /// so that a caller can let it settle and know whether the object exists.
    /// </summary>
    public CancellationToken StopIssuing { get; init; }
}
