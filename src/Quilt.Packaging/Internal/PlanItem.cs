using Quilt.Storage;

namespace Quilt.Packaging.Internal;

/// <summary>One object selected for the package, with what the run will do with it.</summary>
internal sealed record PlanItem(
    ObjectLocation Source,
    string LogicalKey,
    long? Size,
    string? ETag,
    ObjectLocation? CopyTo);
