namespace Quilt.Core.Selection;

/// <summary>
/// Include/exclude selection of objects by relative path (DESIGN §3 step 1): with no include patterns
/// everything is included; an object is selected when it matches some include pattern and no exclude
/// pattern — exclude always beats include. All patterns are compiled up front, so a bad one fails before
/// any listing starts.
/// </summary>
public sealed class ObjectSelector
{
    /// <summary>Creates a selector.</summary>
    /// <param name="includePatterns">Globs to include; null or empty includes everything.</param>
    /// <param name="excludePatterns">Globs to exclude; null or empty excludes nothing.</param>
    /// <exception cref="Errors.QuiltException">A pattern is malformed (kind InvalidInput); the message names it.</exception>
    public ObjectSelector(IEnumerable<string>? includePatterns, IEnumerable<string>? excludePatterns)
    {
        Include = (includePatterns ?? []).Select(GlobPattern.Parse).ToArray();
        Exclude = (excludePatterns ?? []).Select(GlobPattern.Parse).ToArray();
    }

    /// <summary>A selector that selects everything.</summary>
    public static ObjectSelector All { get; } = new(null, null);

    /// <summary>The compiled include patterns.</summary>
    public IReadOnlyList<GlobPattern> Include { get; }

    /// <summary>The compiled exclude patterns.</summary>
    public IReadOnlyList<GlobPattern> Exclude { get; }

    /// <summary>Whether the object at <paramref name="relativePath"/> is selected.</summary>
    /// <param name="relativePath">The key relative to the (normalized) source prefix.</param>
    public bool IsSelected(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        foreach (var exclude in Exclude)
        {
            if (exclude.IsMatch(relativePath))
            {
                return false;
            }
        }

        if (Include.Count == 0)
        {
            return true;
        }

        foreach (var include in Include)
        {
            if (include.IsMatch(relativePath))
            {
                return true;
            }
        }

        return false;
    }
}
