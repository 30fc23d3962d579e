namespace Quilt.Core.Selection.Internal;

/// <summary>Expands a glob's brace groups into alternatives, and finds the extent of a <c>[...]</c> class.</summary>
internal static class BraceExpansion
{
    /// <summary>
    /// Expands the brace groups whose alternatives contain <c>/</c> or <c>**</c> (they change which segments
    /// match and whether an alternative is name-only); other groups stay in the text and become regex
    /// alternations, so patterns like <c>{a,b}{c,d}…</c> do not multiply.
    /// </summary>
    public static void Expand(string pattern, string text, List<string> output)
    {
        var from = 0;
        while (true)
        {
            var open = FindBraceOpen(pattern, text, from);
            if (open < 0)
            {
                if (output.Count >= GlobCompiler.MaxAlternatives)
                {
                    throw GlobCompiler.Invalid(pattern, $"its braces expand to more than {GlobCompiler.MaxAlternatives} alternatives");
                }

                output.Add(text);
                return;
            }

            var (close, commas) = FindBraceClose(pattern, text, open);
            var body = text.AsSpan(open + 1, close - open - 1);
            if (!body.Contains('/') && !body.Contains("**", StringComparison.Ordinal))
            {
                from = close + 1;
                continue;
            }

            var prefix = text[..open];
            var suffix = text[(close + 1)..];
            var start = open + 1;
            foreach (var comma in commas.Append(close))
            {
                Expand(pattern, prefix + text[start..comma] + suffix, output);
                start = comma + 1;
            }

            return;
        }
    }

    /// <summary>The first '{' at or after <paramref name="from"/> that is not escaped and not inside a character class, or -1.</summary>
    private static int FindBraceOpen(string pattern, string text, int from) => NextSpecial(pattern, text, from, "{");

    private static (int Close, List<int> Commas) FindBraceClose(string pattern, string text, int open)
    {
        var depth = 0;
        var commas = new List<int>();
        for (var i = NextSpecial(pattern, text, open + 1, "{,}"); i >= 0; i = NextSpecial(pattern, text, i + 1, "{,}"))
        {
            switch (text[i])
            {
                case '{':
                    depth++;
                    break;
                case ',' when depth == 0:
                    commas.Add(i);
                    break;
                case '}' when depth == 0:
                    return (i, commas);
                case '}':
                    depth--;
                    break;
            }
        }

        throw GlobCompiler.Invalid(pattern, "a '{' is never closed by '}'");
    }

    /// <summary>The first of <paramref name="stops"/> at or after <paramref name="from"/> that is not escaped and not inside a character class, or -1.</summary>
    private static int NextSpecial(string pattern, string text, int from, string stops)
    {
        for (var i = from; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '[')
            {
                i = SkipClass(pattern, text, i);
            }
            else if (stops.Contains(text[i], StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Index of the ']' closing the class that starts at <paramref name="open"/>.</summary>
    public static int SkipClass(string pattern, string text, int open)
    {
        var i = open + 1;
        if (i < text.Length && text[i] is '!' or '^')
        {
            i++;
        }

        if (i < text.Length && text[i] == ']')
        {
            i++;
        }

        for (; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == ']')
            {
                return i;
            }
        }

        throw GlobCompiler.Invalid(pattern, "a '[' is never closed by ']'");
    }
}
