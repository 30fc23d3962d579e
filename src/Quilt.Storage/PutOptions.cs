namespace Quilt.Storage;

/// <summary>How <see cref="IObjectStore.PutAsync(ObjectLocation, ReadOnlyMemory{byte}, PutOptions, CancellationToken)"/> writes.</summary>
public sealed record PutOptions
{
    /// <summary>The content type to store; null lets the store choose.</summary>
    public string? ContentType { get; init; }

    /// <summary>
    /// Write only if no object exists at the key (<c>If-None-Match: *</c>), so that two writers cannot both create it;
    /// a refusal is a <see cref="Quilt.Core.Errors.QuiltErrorKind.Conflict"/>.
    /// </summary>
    public bool IfNoneMatch { get; init; }

    /// <summary>
    /// Write only while the current object still has this ETag (<c>If-Match</c>), so that a replacement cannot overwrite
    /// a change made since it was read; a refusal is a <see cref="Quilt.Core.Errors.QuiltErrorKind.Conflict"/>.
    /// </summary>
    public string? IfMatchETag { get; init; }
}
