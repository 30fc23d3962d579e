namespace Quilt.Storage;

/// <summary>An object a write created: where it landed (with its version id, if any) and the ETag the store gave it.</summary>
/// <param name="Location">The object, with the version id the write created when the bucket keeps versions.</param>
/// <param name="ETag">The ETag with its quotes, so that a rollback can delete it only while it is unchanged; null when the store has none.</param>
public sealed record WrittenObject(ObjectLocation Location, string? ETag);
