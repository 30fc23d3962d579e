using System.Globalization;
using System.Text;

namespace Quilt.Core.Selection.Internal;

/// <summary>
/// Regex matchers for sets of Unicode code points (a glob's <c>[...]</c> class): ranges normalised, complemented and
/// written so that a match is always one whole code point, never <c>/</c> and never half of a surrogate pair.
/// </summary>
internal static class CodePointSets
{
    private const int MaxCodePoint = 0x10FFFF;

    /// <summary>
    /// Appends a matcher for one code point in <paramref name="ranges"/> (or, if negated, not in them), never
    /// '/' and never half of a surrogate pair.
    /// </summary>
    public static void AppendSet(StringBuilder regex, List<(int Low, int High)> ranges, bool negated)
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

    public static void AppendUnit(StringBuilder builder, char unit) => builder.Append(Unit(unit));

    public static string Unit(char unit) => @"\u" + ((int)unit).ToString("X4", CultureInfo.InvariantCulture);
}
