using Quilt.Storage;

namespace Quilt.Packaging.Pipeline;

/// <summary>An object chosen for a package: where it is (version pinned on versioned buckets) and its logical key.</summary>
/// <param name="Location">The object.</param>
/// <param name="LogicalKey">Its path in the package.</param>
/// <param name="Size">Size from the listing.</param>
/// <param name="ETag">ETag from the listing.</param>
public sealed record SelectedObject(ObjectLocation Location, string LogicalKey, long Size, string? ETag);
