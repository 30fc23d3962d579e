using System.Diagnostics.CodeAnalysis;
using Quilt.Core.Errors;

namespace Quilt.Core.Naming;

/// <summary>
/// A package name <c>namespace/name</c> (quilt-format §5.3). Each part is one or more of <c>A–Z a–z 0–9 _ -</c>:
/// the portable subset of quilt3's <c>^[\w-]+/[\w-]+$</c>, so every name accepted here is accepted by quilt3
/// and the catalog and maps to the same registry paths on every platform.
/// </summary>
/// <param name="Namespace">The first part (user or team), e.g. <c>examples</c> in <c>examples/wellplates</c>.</param>
/// <param name="Name">The second part, e.g. <c>wellplates</c>.</param>
/// <exception cref="QuiltException">A part is empty or has a character outside <c>A–Z a–z 0–9 _ -</c> (kind InvalidInput).</exception>
public sealed record PackageName(string Namespace, string Name)
{
    /// <summary>The expected form, as shown in error messages.</summary>
    public const string ExpectedForm = "namespace/name, each part one or more of the letters A-Z a-z, digits 0-9, '_' and '-'";

    /// <summary>The first part (user or team).</summary>
    public string Namespace { get; } = CheckPart(Namespace, Namespace, Name);

    /// <summary>The second part (the package within the namespace).</summary>
    public string Name { get; } = CheckPart(Name, Namespace, Name);

    /// <summary>Parses <c>namespace/name</c>.</summary>
    /// <param name="text">The text to parse.</param>
    /// <exception cref="QuiltException">The text is not <c>namespace/name</c> (kind InvalidInput); the message shows the expected form.</exception>
    public static PackageName Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var name) ? name : throw Invalid(text);
    }

    /// <summary>Parses <c>namespace/name</c> without throwing.</summary>
    /// <param name="text">The text to parse; null gives false.</param>
    /// <param name="name">The parsed name, or null.</param>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out PackageName? name)
    {
        name = null;
        if (text is null)
        {
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return false;
        }

        var first = text[..slash];
        var second = text[(slash + 1)..];
        if (!IsValidPart(first) || !IsValidPart(second))
        {
            return false;
        }

        name = new PackageName(first, second);
        return true;
    }

    /// <summary>The canonical text <c>namespace/name</c>, as used in registry paths and commands.</summary>
    public override string ToString() => Namespace + "/" + Name;

    private static string CheckPart(string part, string? first, string? second)
    {
        ArgumentNullException.ThrowIfNull(part);
        return IsValidPart(part) ? part : throw Invalid(first + "/" + second);
    }

    private static bool IsValidPart(ReadOnlySpan<char> part)
    {
        if (part.IsEmpty)
        {
            return false;
        }

        foreach (var c in part)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static QuiltException Invalid(string text) =>
        QuiltException.InvalidInput(
            $"Invalid package name '{text}': expected {ExpectedForm}.",
            "Use a name like 'team/dataset' (e.g. 'examples/wellplates').");
}
