using System.Text.RegularExpressions;
using Quilt.Core.Errors;
using Quilt.Core.Selection.Internal;

namespace Quilt.Core.Selection;

/// <summary>
/// A glob for choosing objects by their path relative to the source prefix (DESIGN §3 step 1).
/// <list type="bullet">
/// <item><c>*</c> and <c>?</c> match within one path segment; <c>**</c> crosses segments, and as a whole
/// segment (<c>a/**/b</c>, <c>**/x</c>) also matches zero segments.</item>
/// <item><c>[abc]</c>, <c>[a-z]</c>, <c>[!x]</c> or <c>[^x]</c> match one character (never <c>/</c>);
/// <c>{a,b}</c> are alternatives that may contain <c>/</c> and wildcards; <c>\</c> escapes the next character.</item>
/// <item>A pattern (or brace alternative) without <c>/</c> matches the file name at any depth: <c>*.csv</c>
/// selects <c>x.csv</c> and <c>a/b/x.csv</c>. A leading <c>/</c> anchors it at the prefix instead
/// (<c>/*.csv</c> selects only top-level files); a trailing <c>/</c> means everything below (<c>logs/</c> =
/// <c>logs/**</c>).</item>
/// <item>Matching is case-sensitive and by Unicode code point.</item>
/// </list>
/// Patterns compile to an anchored regular expression run by the non-backtracking engine, so matching time
/// is linear in the path length whatever the pattern.
/// </summary>
public sealed class GlobPattern
{
    private readonly Regex _regex;

    private GlobPattern(string pattern, Regex regex)
    {
        Pattern = pattern;
        _regex = regex;
    }

    /// <summary>The pattern text as given.</summary>
    public string Pattern { get; }

    /// <summary>Compiles a pattern.</summary>
    /// <param name="pattern">The glob.</param>
    /// <exception cref="QuiltException">The pattern is empty or malformed, e.g. an unclosed <c>[</c> or <c>{</c> (kind InvalidInput).</exception>
    public static GlobPattern Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Length == 0)
        {
            throw QuiltException.InvalidInput("Invalid glob pattern '': it is empty.", "Give a pattern such as '*.csv' or 'data/**', or leave the list out to select everything.");
        }

        var source = GlobCompiler.ToRegex(pattern);
        try
        {
            return new GlobPattern(pattern, new Regex(source, RegexOptions.NonBacktracking | RegexOptions.Singleline | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            throw QuiltException.InvalidInput($"Invalid glob pattern '{pattern}': it is too complex to compile ({ex.Message}).", "Simplify the pattern or split it into several patterns.");
        }
    }

    /// <summary>Whether <paramref name="relativePath"/> (a key relative to the source prefix, <c>/</c>-separated) matches.</summary>
    /// <param name="relativePath">The path to test.</param>
    public bool IsMatch(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        return _regex.IsMatch(relativePath);
    }

    /// <summary>The pattern text.</summary>
    public override string ToString() => Pattern;
}
