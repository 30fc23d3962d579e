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

    private const int MaxCodePoint = 0x10FFFF;

    /// <summary>Returns the regex source <c>\A(?:alt|alt…)\z</c> for <paramref name="pattern"/>.</summary>
    public static string ToRegex(string pattern)
    {
        var alternatives = new List<string>();
        Expand(pattern, pattern, alternatives);
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

    /// <summary>
    /// Expands the brace groups whose alternatives contain <c>/</c> or <c>**</c> (they change which segments
    /// match and whether an alternative is name-only); other groups stay in the text and become regex
    /// alternations, so patterns like <c>{a,b}{c,d}…</c> do not multiply.
    /// </summary>
    private static void Expand(string pattern, string text, List<string> output)
    {
        var from = 0;
        while (true)
        {
            var open = FindBraceOpen(pattern, text, from);
            if (open < 0)
            {
                if (output.Count >= MaxAlternatives)
                {
                    throw Invalid(pattern, $"its braces expand to more than {MaxAlternatives} alternatives");
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
    private static int FindBraceOpen(string pattern, string text, int from)
    {
        for (var i = from; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\\':
                    i++;
                    break;
                case '[':
                    i = SkipClass(pattern, text, i);
                    break;
                case '{':
                    return i;
            }
        }

        return -1;
    }

    private static (int Close, List<int> Commas) FindBraceClose(string pattern, string text, int open)
    {
        var depth = 0;
        var commas = new List<int>();
        for (var i = open + 1; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\\':
                    i++;
                    break;
                case '[':
                    i = SkipClass(pattern, text, i);
                    break;
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

        throw Invalid(pattern, "a '{' is never closed by '}'");
    }

    /// <summary>Index of the ']' closing the class that starts at <paramref name="open"/>.</summary>
    private static int SkipClass(string pattern, string text, int open)
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

        throw Invalid(pattern, "a '[' is never closed by ']'");
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
                    AppendSet(regex, [], negated: true);
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
                AppendUnit(regex, units[u]);
            }
        }

        return index + width - 1;
    }

    private static int AppendClass(string pattern, string text, int open, StringBuilder regex)
    {
        var close = SkipClass(pattern, text, open);
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

        AppendSet(regex, ranges, negated);
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

    /// <summary>
    /// Appends a matcher for one code point in <paramref name="ranges"/> (or, if negated, not in them), never
    /// '/' and never half of a surrogate pair.
    /// </summary>
    private static void AppendSet(StringBuilder regex, List<(int Low, int High)> ranges, bool negated)
    {
        var set = Normalize(ranges);
        if (negated)
        {
            set = Complement(set);
        }

        set = Subtract(set, '/', '/');
        set = Subtract(set, 0xD800, 0xDFFF);

        var bmp = set.Where(r => r.Low <= 0xFFFF).Select(r => (r.Low, High: Math.Min(r.High, 0xFFFF))).ToList();
        var astral = set.Where(r => r.High > 0xFFFF).Select(r => (Low: Math.Max(r.Low, 0x10000), r.High)).ToList();
        var alternatives = new List<string>();
        if (bmp.Count > 0)
        {
            var cls = new StringBuilder("[");
            foreach (var (low, high) in bmp)
            {
                AppendUnit(cls, (char)low);
                if (high > low)
                {
                    cls.Append('-');
                    AppendUnit(cls, (char)high);
                }
            }

            alternatives.Add(cls.Append(']').ToString());
        }

        foreach (var (low, high) in astral)
        {
            alternatives.AddRange(SurrogateRanges(low, high));
        }

        if (alternatives.Count == 0)
        {
            regex.Append(@"[^\u0000-\uFFFF]"); // matches nothing
            return;
        }

        regex.Append("(?:").AppendJoin('|', alternatives).Append(')');
    }

    private static IEnumerable<string> SurrogateRanges(int low, int high)
    {
        var (hLow, lLow) = Split(low);
        var (hHigh, lHigh) = Split(high);
        if (hLow == hHigh)
        {
            yield return Unit(hLow) + "[" + Unit(lLow) + "-" + Unit(lHigh) + "]";
            yield break;
        }

        yield return Unit(hLow) + "[" + Unit(lLow) + @"-\uDFFF]";
        if (hHigh - hLow > 1)
        {
            yield return "[" + Unit((char)(hLow + 1)) + "-" + Unit((char)(hHigh - 1)) + @"][\uDC00-\uDFFF]";
        }

        yield return Unit(hHigh) + @"[\uDC00-" + Unit(lHigh) + "]";

        static (char High, char Low) Split(int codePoint)
        {
            Span<char> units = stackalloc char[2];
            new Rune(codePoint).EncodeToUtf16(units);
            return (units[0], units[1]);
        }
    }

    private static List<(int Low, int High)> Normalize(List<(int Low, int High)> ranges)
    {
        var result = new List<(int Low, int High)>();
        foreach (var range in ranges.OrderBy(r => r.Low))
        {
            if (result.Count > 0 && range.Low <= result[^1].High + 1)
            {
                result[^1] = (result[^1].Low, Math.Max(result[^1].High, range.High));
            }
            else
            {
                result.Add(range);
            }
        }

        return result;
    }

    private static List<(int Low, int High)> Complement(List<(int Low, int High)> set)
    {
        var result = new List<(int Low, int High)>();
        var next = 0;
        foreach (var (low, high) in set)
        {
            if (low > next)
            {
                result.Add((next, low - 1));
            }

            next = high + 1;
        }

        if (next <= MaxCodePoint)
        {
            result.Add((next, MaxCodePoint));
        }

        return result;
    }

    private static List<(int Low, int High)> Subtract(List<(int Low, int High)> set, int low, int high)
    {
        var result = new List<(int Low, int High)>();
        foreach (var range in set)
        {
            if (range.High < low || range.Low > high)
            {
                result.Add(range);
                continue;
            }

            if (range.Low < low)
            {
                result.Add((range.Low, low - 1));
            }

            if (range.High > high)
            {
                result.Add((high + 1, range.High));
            }
        }

        return result;
    }

    private static void AppendUnit(StringBuilder builder, char unit) => builder.Append(Unit(unit));

    private static string Unit(char unit) => @"\u" + ((int)unit).ToString("X4", CultureInfo.InvariantCulture);

    private static QuiltException Invalid(string pattern, string reason) =>
        QuiltException.InvalidInput(
            $"Invalid glob pattern '{pattern}': {reason}.",
            "Globs use * (within a folder), ** (across folders), ?, [abc], [a-z], [!x], {a,b}; escape special characters with \\.");
}
