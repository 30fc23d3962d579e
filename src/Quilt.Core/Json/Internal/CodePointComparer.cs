namespace Quilt.Core.Json.Internal;

/// <summary>Python <c>str</c> order (by code point) as an <see cref="IComparer{T}"/>, for <c>sort_keys</c>.</summary>
internal sealed class CodePointComparer : IComparer<string>
{
    /// <summary>The shared instance.</summary>
    public static readonly CodePointComparer Instance = new();

    private CodePointComparer()
    {
    }

    /// <inheritdoc />
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

        return y is null ? 1 : CodePointOrder.Compare(x, y, slashLowest: false);
    }
}
