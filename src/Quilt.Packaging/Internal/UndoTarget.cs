using Quilt.Storage;

namespace Quilt.Packaging.Internal;

/// <summary>An object (or version) a rollback deletes; without a version, only while it still has <see cref="ETag"/>.</summary>
/// <param name="Location">The object, with the version to delete where the bucket keeps versions.</param>
/// <param name="ETag">The ETag this run wrote (unversioned buckets).</param>
internal sealed record UndoTarget(ObjectLocation Location, string? ETag);
