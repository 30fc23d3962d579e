namespace Quilt.Packaging.Contracts;

/// <summary>Objects listed but not packaged.</summary>
/// <param name="FolderMarkers">Empty keys ending in '/' (console-made folders).</param>
/// <param name="Excluded">Objects the include/exclude globs left out.</param>
/// <param name="FolderKeysWithData">Keys ending in '/' that hold data: no logical key can name them, so they are skipped (as quilt3 does) with a warning.</param>
/// <param name="FolderKeysWithDataSample">Up to five such keys, for the warning.</param>
public sealed record SkippedCounts(long FolderMarkers, long Excluded, long FolderKeysWithData = 0, IReadOnlyList<string>? FolderKeysWithDataSample = null);
