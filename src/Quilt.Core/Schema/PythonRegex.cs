using System.Text;
using System.Text.RegularExpressions;
using Quilt.Core.Errors;

namespace Quilt.Core.Schema;

/// <summary>
/// Regular expressions with Python <c>re</c> semantics, as far as .NET allows. quilt3 checks schema
/// <c>pattern</c>s, <c>patternProperties</c> and workflow <c>handle_pattern</c>s with Python's <c>re.search</c>,
/// so patterns written for quilt3 must mean the same here: Unicode <c>\d \w \s</c> (not ECMAScript's ASCII
/// classes), <c>(?P&lt;name&gt;…)</c> groups, <c>(?P=name)</c> back-references, <c>\Z</c> as end of text and
/// <c>{,n}</c> as <c>{0,n}</c>. Matching has a time limit so that a pathological pattern cannot hang a push.
/// </summary>
public static class PythonRegex
{
    /// <summary>How long one match may run before it is abandoned as pathological.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Compiles a Python-style pattern; an invalid one is an <see cref="QuiltErrorKind.InvalidInput"/> error.</summary>
    public static Regex Compile(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        try
        {
            return new Regex(Translate(pattern), RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException e)
        {
            throw QuiltException.InvalidInput(
                $"{Internal.ValueText.Quote(pattern)} is not a valid regular expression: {e.Message}",
                "Fix the pattern (Python 're' syntax).");
        }
    }

    /// <summary>Python <c>re.search</c>: whether the pattern matches anywhere in <paramref name="text"/> (not anchored).</summary>
    public static bool Search(Regex regex, string text)
    {
        ArgumentNullException.ThrowIfNull(regex);
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            throw QuiltException.InvalidInput(
                $"The regular expression {Internal.ValueText.Quote(regex.ToString())} took too long to match a value of {text.Length} characters.",
                "Simplify the pattern (avoid nested repetition such as '(a+)+').");
        }
    }

    /// <summary>Rewrites the Python-only constructs into their .NET spelling; everything else is kept verbatim.</summary>
    internal static string Translate(string pattern)
    {
        var builder = new StringBuilder(pattern.Length);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var next = pattern[i + 1];
                builder.Append('\\').Append(!inClass && next == 'Z' ? 'z' : next);
                i++;
                continue;
            }

            if (inClass)
            {
                if (c == ']')
                {
                    inClass = false;
                }

                builder.Append(c);
                continue;
            }

            switch (c)
            {
                case '[':
                    inClass = true;
                    builder.Append(c);
                    // A ']' right after '[' or '[^' is a literal in Python.
                    if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                    {
                        builder.Append('^');
                        i++;
                    }

                    if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                    {
                        builder.Append(@"\]");
                        i++;
                    }

                    break;
                case '(' when string.CompareOrdinal(pattern, i, "(?P<", 0, 4) == 0:
                    builder.Append("(?<");
                    i += 3;
                    break;
                case '(' when string.CompareOrdinal(pattern, i, "(?P=", 0, 4) == 0 && pattern.IndexOf(')', i) is var close and > 0:
                    builder.Append(@"\k<").Append(pattern, i + 4, close - i - 4).Append('>');
                    i = close;
                    break;
                case '{' when i + 1 < pattern.Length && pattern[i + 1] == ',' && IsCountTail(pattern, i + 2):
                    builder.Append("{0");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }

    private static bool IsCountTail(string pattern, int start)
    {
        var i = start;
        while (i < pattern.Length && char.IsAsciiDigit(pattern[i]))
        {
            i++;
        }

        return i > start && i < pattern.Length && pattern[i] == '}';
    }
}
