using Quilt.Core.Json.Internal;

namespace Quilt.Core.Manifests;

/// <summary>
/// The order in which quilt3 walks a package (quilt-format §3.2): logical keys split on <c>/</c>, component
/// lists compared lexicographically, components compared by Unicode code point. The file lines of a manifest
/// and the top hash both follow it, so <c>a/b</c> sorts before <c>a-c</c> and U+1F600 after U+FFFF —
/// neither <see cref="string.CompareOrdinal(string, string)"/> nor culture comparison gives that.
/// </summary>
public sealed class LogicalKeyComparer : IComparer<string>
{
    private LogicalKeyComparer()
    {
    }

    /// <summary>The only instance (the comparer is stateless).</summary>
    public static LogicalKeyComparer Instance { get; } = new();

    /// <summary>
    /// Compares two logical keys in walk order; a lone surrogate counts as its code unit value.
    /// A null key sorts first.
    /// </summary>
    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        return y is null ? 1 : CodePointOrder.Compare(x, y, slashLowest: true);
    }
}
