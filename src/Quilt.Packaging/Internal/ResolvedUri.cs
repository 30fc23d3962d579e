using Quilt.Storage;

namespace Quilt.Packaging.Internal;

/// <summary>A URI the user gave, resolved to a store, a bucket (or folder) and a key or prefix.</summary>
/// <param name="Store">The store serving it.</param>
/// <param name="Bucket">Bucket name, or absolute folder path.</param>
/// <param name="Key">Key or prefix ("" for the whole bucket or folder).</param>
/// <param name="VersionId">A pinned version, when the URI carried one.</param>
/// <param name="Display">The normalized URI for messages and results.</param>
internal sealed record ResolvedUri(IObjectStore Store, string Bucket, string Key, string? VersionId, string Display)
{
    public bool IsS3 => Store.Scheme == "s3";

    public ObjectLocation Location => new(Bucket, Key, VersionId);
}
