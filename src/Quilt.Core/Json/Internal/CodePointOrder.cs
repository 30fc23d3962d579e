namespace Quilt.Core.Json.Internal;

/// <summary>
/// String order by Unicode code point, which is how Python compares <c>str</c>. Ordinal UTF-16 order differs
/// for supplementary characters (surrogates D800–DFFF sort below U+E000–U+FFFF as code units), so both the
/// canonical key sort and the logical-key walk order go through here.
/// </summary>
internal static class CodePointOrder
{
    /// <summary>
    /// Compares by code point. A lone surrogate counts as its code unit value (what a Python <c>str</c> holds).
    /// With <paramref name="slashLowest"/>, <c>/</c> sorts below every other character, which makes a flat
    /// comparison equal to comparing the lists of <c>/</c>-separated components.
    /// </summary>
    public static int Compare(ReadOnlySpan<char> x, ReadOnlySpan<char> y, bool slashLowest)
    {
        var start = x.CommonPrefixLength(y);
        if (start > 0 && char.IsHighSurrogate(x[start - 1]))
        {
            // The pair status of that high surrogate depends on the next (differing) char.
            start--;
        }

        var i = start;
        var j = start;
        while (i < x.Length && j < y.Length)
        {
            var a = Next(x, ref i, slashLowest);
            var b = Next(y, ref j, slashLowest);
            if (a != b)
            {
                return a < b ? -1 : 1;
            }
        }

        var restX = x.Length - i;
        var restY = y.Length - j;
        return restX == restY ? 0 : restX < restY ? -1 : 1;
    }

    private static int Next(ReadOnlySpan<char> s, ref int index, bool slashLowest)
    {
        var c = s[index++];
        if (char.IsHighSurrogate(c) && index < s.Length && char.IsLowSurrogate(s[index]))
        {
            return char.ConvertToUtf32(c, s[index++]);
        }

        return slashLowest && c == '/' ? -1 : c;
    }
}
