using System.Globalization;
using System.Text;
using Quilt.Core.Errors;

namespace Quilt.Core.Selection.Internal;

/// <summary>
/// Translates a glob into an anchored .NET regular expression for <see cref="GlobPattern"/>. Braces are
/// expanded first (so each alternative can decide on its own whether it is a name-only pattern), then each
/// alternative is translated token by token. Characters are matched as whole Unicode code points.
/// </summary>
internal static class GlobCompiler
{
    /// <summary>Most alternatives a brace expansion may produce; beyond this a pattern is refused.</summary>
    public const int MaxAlternatives = 256;

    /// <summary>Returns the regex source <c>\A(?:alt|alt…)\z</c> for <paramref name="pattern"/>.</summary>
    public static string ToRegex(string pattern)
    {
        var alternatives = new List<string>();
        BraceExpansion.Expand(pattern, pattern, alternatives);
        var builder = new StringBuilder(@"\A(?:");
        for (var i = 0; i < alternatives.Count; i++)
        {
            if (i > 0)
            {
                builder.Append('|');
            }

            TranslateAlternative(pattern, alternatives[i], builder);
        }

        return builder.Append(@")\z").ToString();
    }

    private static void TranslateAlternative(string pattern, string alternative, StringBuilder regex)
    {
        var text = alternative;
        var anchored = text.StartsWith('/');
        if (anchored)
        {
            text = text[1..];
        }

        if (text.EndsWith('/') && !text.EndsWith("\\/", StringComparison.Ordinal))
        {
            text += "**"; // "dir/" means everything under dir
        }

        if (text.Length == 0)
        {
            throw Invalid(pattern, "an alternative is empty or only '/'");
        }

        if (!anchored && !HasSlash(text))
        {
            regex.Append("(?:.*/)?"); // a name-only pattern matches the last segment at any depth
        }

        regex.Append("(?:");
        var braceDepth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '{':
                    regex.Append("(?:");
                    braceDepth++;
                    break;
                case ',' when braceDepth > 0:
                    regex.Append('|');
                    break;
                case '}' when braceDepth > 0:
                    regex.Append(')');
                    braceDepth--;
                    break;
                case '\\':
                    if (i + 1 >= text.Length)
                    {
                        throw Invalid(pattern, "it ends with an unfinished escape '\\'");
                    }

                    i = AppendLiteral(pattern, text, i + 1, regex);
                    break;
                case '*':
                    var run = 1;
                    while (i + run < text.Length && text[i + run] == '*')
                    {
                        run++;
                    }

                    var atSegmentStart = i == 0 || text[i - 1] == '/';
                    var end = i + run;
                    if (run == 1)
                    {
                        regex.Append("[^/]*");
                    }
                    else if (atSegmentStart && end < text.Length && text[end] == '/')
                    {
                        regex.Append("(?:.*/)?"); // "**/" is zero or more whole segments
                        end++;
                    }
                    else
                    {
                        regex.Append(".*");
                    }

                    i = end - 1;
                    break;
                case '?':
                    CodePointSets.AppendSet(regex, [], negated: true);
                    break;
                case '[':
                    i = AppendClass(pattern, text, i, regex);
                    break;
                default:
                    i = AppendLiteral(pattern, text, i, regex);
                    break;
            }
        }

        regex.Append(')');
    }

    private static bool HasSlash(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
                if (i < text.Length && text[i] == '/')
                {
                    return true;
                }
            }
            else if (text[i] == '/')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Appends the code point at <paramref name="index"/> as a literal; returns the index of its last UTF-16 unit.</summary>
    private static int AppendLiteral(string pattern, string text, int index, StringBuilder regex)
    {
        var rune = ReadRune(pattern, text, index, out var width);
        if (rune.Value < 128 && char.IsAsciiLetterOrDigit((char)rune.Value))
        {
            regex.Append((char)rune.Value);
        }
        else
        {
            Span<char> units = stackalloc char[2];
            var count = rune.EncodeToUtf16(units);
            for (var u = 0; u < count; u++)
            {
                CodePointSets.AppendUnit(regex, units[u]);
            }
        }

        return index + width - 1;
    }

    private static int AppendClass(string pattern, string text, int open, StringBuilder regex)
    {
        var close = BraceExpansion.SkipClass(pattern, text, open);
        var i = open + 1;
        var negated = text[i] is '!' or '^';
        if (negated)
        {
            i++;
        }

        var ranges = new List<(int Low, int High)>();
        while (i < close)
        {
            var low = ReadClassMember(pattern, text, ref i);
            var high = low;
            if (i + 1 < close && text[i] == '-')
            {
                i++;
                high = ReadClassMember(pattern, text, ref i);
                if (high < low)
                {
                    throw Invalid(pattern, $"the range '{char.ConvertFromUtf32(low)}-{char.ConvertFromUtf32(high)}' is reversed");
                }
            }

            if (!negated && low <= '/' && '/' <= high)
            {
                throw Invalid(pattern, "a '[...]' class cannot match '/' (classes match one character inside a path segment)");
            }

            ranges.Add((low, high));
        }

        CodePointSets.AppendSet(regex, ranges, negated);
        return close;
    }

    private static int ReadClassMember(string pattern, string text, ref int i)
    {
        if (text[i] == '\\')
        {
            i++;
        }

        var rune = ReadRune(pattern, text, i, out var width);
        i += width;
        return rune.Value;
    }

    private static Rune ReadRune(string pattern, string text, int index, out int width)
    {
        if (Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out width) != System.Buffers.OperationStatus.Done)
        {
            throw Invalid(pattern, "it contains a lone UTF-16 surrogate");
        }

        return rune;
    }

    internal static QuiltException Invalid(string pattern, string reason) =>
        QuiltException.InvalidInput(
            $"Invalid glob pattern '{pattern}': {reason}.",
            "Globs use * (within a folder), ** (across folders), ?, [abc], [a-z], [!x], {a,b}; escape special characters with \\.");
}
