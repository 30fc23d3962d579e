namespace Quilt.Storage;

/// <summary>Tunables for <see cref="IObjectStore.HashAsync"/>.</summary>
public sealed record HashingOptions
{
    /// <summary>The default <see cref="ScratchPrefix"/>: where quilt registries keep scratch hashing uploads.</summary>
    public const string DefaultScratchPrefix = ".quilt/tmp/hash/";

    /// <summary>Objects below this size are read with one GET (ladder step a). Default 1 MiB.</summary>
    public long SmallObjectThreshold { get; init; } = 1024 * 1024;

    /// <summary>
    /// A bucket where a scratch multipart upload may be started (and always aborted) to obtain part checksums
    /// without moving bytes (ladder step d). Null disables that step.
    /// </summary>
    public string? ScratchBucket { get; init; }

    /// <summary>
    /// The key prefix, in <see cref="ScratchBucket"/>, of those scratch uploads: the caller's layout (a registry keeps them
    /// under <c>.quilt/tmp/hash/</c>, which a cleanup of abandoned uploads lists). Default <see cref="DefaultScratchPrefix"/>.
    /// </summary>
    public string ScratchPrefix { get; init; } = DefaultScratchPrefix;

    /// <summary>The size from the listing, when known, so that a small object needs no HEAD first.</summary>
    public long? KnownSize { get; init; }

    /// <summary>The ETag from the listing, when known (used as <c>CopySourceIfMatch</c>).</summary>
    public string? KnownETag { get; init; }

    /// <summary>Told about scratch multipart uploads, so that a journal can abort one a crash leaves open.</summary>
    public IUploadObserver? Uploads { get; init; }
}
