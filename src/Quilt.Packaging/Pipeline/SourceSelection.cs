using Quilt.Core.Errors;
using Quilt.Core.Selection;
using Quilt.Packaging.Contracts;
using Quilt.Storage;

namespace Quilt.Packaging.Pipeline;

/// <summary>
/// Step 1 of the pipeline (DESIGN.md §3): list a prefix, skip folder markers, apply the globs to the path relative to
/// the prefix, map to logical keys and reject collisions and invalid keys. Shared by direct and catalog mode so both
/// plan exactly alike.
/// </summary>
public static class SourceSelection
{
    /// <summary>
    /// The warning both modes give when non-empty keys ending in '/' were skipped (<see cref="SkippedCounts.FolderKeysWithData"/>);
    /// null when there were none.
    /// </summary>
    public static string? FolderKeysWithDataWarning(SkippedCounts skipped)
    {
        ArgumentNullException.ThrowIfNull(skipped);
        return skipped.FolderKeysWithData > 0
            ? $"Skipped {skipped.FolderKeysWithData} object(s) whose key ends in '/' but that hold data (no file of a package can have that name; quilt3 skips them too): {string.Join(", ", skipped.FolderKeysWithDataSample ?? [])}."
            : null;
    }

    /// <summary>Lists and selects; throws <see cref="QuiltException"/> on collisions, invalid keys or an empty selection.</summary>
    public static async Task<(IReadOnlyList<SelectedObject> Objects, SkippedCounts Skipped)> SelectAsync(
        IObjectStore store,
        string bucket,
        string prefix,
        bool latestVersions,
        IReadOnlyList<string> includePatterns,
        IReadOnlyList<string> excludePatterns,
        bool preserveStructure,
        string sourceDisplay,
        IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var selector = new ObjectSelector(includePatterns, excludePatterns);
        var normalized = KeyMapping.NormalizePrefix(prefix);
        var planner = new LogicalKeyPlanner(preserveStructure);
        var listed = new Dictionary<string, ObjectSummary>(StringComparer.Ordinal);
        long folderMarkers = 0, excluded = 0, folderKeysWithData = 0;
        var folderKeysWithDataSample = new List<string>();
        await foreach (var obj in store.ListAsync(bucket, prefix, latestVersions, cancellationToken).ConfigureAwait(false))
        {
            if (obj.IsFolderMarker)
            {
                folderMarkers++;
                continue;
            }

            if (obj.Key.EndsWith('/'))
            {
                // A key ending in '/' with data cannot be a file of a package (no logical key names it); quilt3 skips it too.
                folderKeysWithData++;
                if (folderKeysWithDataSample.Count < 5)
                {
                    folderKeysWithDataSample.Add(obj.Key);
                }

                continue;
            }

            var relative = KeyMapping.RelativePath(normalized, obj.Key);
            if (!selector.IsSelected(relative))
            {
                excluded++;
                continue;
            }

            planner.Add(obj.Key, relative);
            listed[obj.Key] = obj;
            if (listed.Count % 1000 == 0)
            {
                progress?.Report(new ProgressUpdate("listing", listed.Count, null, 0, null));
            }
        }

        progress?.Report(new ProgressUpdate("listing", listed.Count, listed.Count, 0, null));
        planner.ThrowIfInvalid();
        if (planner.Keys.Count == 0)
        {
            throw QuiltException.InvalidInput(
                $"No objects selected under {sourceDisplay}: {listed.Count + excluded + folderMarkers + folderKeysWithData} listed, {excluded} excluded by the patterns, {folderMarkers} folder markers and {folderKeysWithData} non-empty keys ending in '/' skipped.",
                "Check the prefix and the include/exclude patterns (a pattern without '/' matches file names at any depth; '**' crosses folders).");
        }

        var objects = planner.Keys
            .Select(k => (Key: k, Obj: listed[k.SourceKey]))
            .Select(p => new SelectedObject(new ObjectLocation(bucket, p.Key.SourceKey, p.Obj.VersionId), p.Key.LogicalKey, p.Obj.Size, p.Obj.ETag))
            .ToList();
        return (objects, new SkippedCounts(folderMarkers, excluded, folderKeysWithData, folderKeysWithData == 0 ? null : folderKeysWithDataSample));
    }
}
