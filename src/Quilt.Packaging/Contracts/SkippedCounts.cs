namespace Quilt.Packaging.Contracts;

/// <summary>Objects listed but not packaged.</summary>
/// <param name="FolderMarkers">Keys ending in '/' (console-made folders).</param>
/// <param name="Excluded">Objects the include/exclude globs left out.</param>
public sealed record SkippedCounts(long FolderMarkers, long Excluded);
