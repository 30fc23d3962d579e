using System.Buffers;
using System.Globalization;
using System.Text;
using Quilt.Core.Errors;
using Quilt.Core.Json;
using Quilt.Core.Json.Internal;

namespace Quilt.Core.Manifests;

/// <summary>
/// The one set of rules for package metadata (the header's <c>user_meta</c>) and entry metadata (an entry's
/// <c>meta</c>), shared by direct and catalog mode so that both refuse the same inputs before anything is written:
/// package metadata is absent or a JSON object within a size limit; no value holds NaN or an infinity, a lone
/// UTF-16 surrogate, or nesting deeper than JSON readers accept. Failures are <see cref="PackageMetadataException"/>
/// with the rule and the JSON path of the offending value.
/// </summary>
public static class PackageMetadataRules
{
    /// <summary>The default limit on serialized package metadata, in UTF-8 bytes.</summary>
    public const int DefaultMaxBytes = 1_000_000;

    /// <summary>The deepest nesting accepted, as the JSON parser and the manifest writer accept it.</summary>
    public const int MaxDepth = JsonParser.MaxDepth - 1;

    /// <summary>
    /// Checks package metadata and returns it as an object; null when it is absent (null or JSON <c>null</c>).
    /// </summary>
    /// <exception cref="PackageMetadataException">A rule is broken.</exception>
    public static QuiltJsonObject? CheckPackageMetadata(QuiltJsonValue? metadata, int maxBytes = DefaultMaxBytes)
    {
        if (metadata is null or QuiltJsonNull)
        {
            return null;
        }

        var meta = metadata as QuiltJsonObject ?? throw PackageMetadataException.NotAnObject(metadata.Kind.ToString().ToLowerInvariant());
        CheckValues(meta, null);
        var size = Encoding.UTF8.GetByteCount(JsonText.Serialize(meta));
        if (size > maxBytes)
        {
            throw PackageMetadataException.TooLarge(size, maxBytes);
        }

        return meta;
    }

    /// <summary>Checks the metadata of the entry <paramref name="logicalKey"/>; null is none.</summary>
    /// <exception cref="PackageMetadataException">A rule is broken (the exception names the entry).</exception>
    public static void CheckEntryMetadata(string logicalKey, QuiltJsonValue? metadata)
    {
        ArgumentNullException.ThrowIfNull(logicalKey);
        if (metadata is not null)
        {
            CheckValues(metadata, logicalKey);
        }
    }

    private static void CheckValues(QuiltJsonValue root, string? logicalKey)
    {
        // Paths are built only on failure: the walk keeps the steps that lead to the current value.
        var steps = new List<object>();
        Walk(root, 0);

        void Walk(QuiltJsonValue value, int depth)
        {
            switch (value)
            {
                case QuiltJsonFloat f when !double.IsFinite(f.Value):
                    throw PackageMetadataException.NonFiniteNumber(Path(steps), double.IsNaN(f.Value) ? "NaN" : f.Value > 0 ? "Infinity" : "-Infinity", logicalKey);
                case QuiltJsonString s when HasLoneSurrogate(s.Value):
                    throw PackageMetadataException.LoneSurrogate(Path(steps), logicalKey);
                case QuiltJsonArray a:
                    CheckDepth(depth);
                    for (var i = 0; i < a.Count; i++)
                    {
                        steps.Add(i);
                        Walk(a[i], depth + 1);
                        steps.RemoveAt(steps.Count - 1);
                    }

                    break;
                case QuiltJsonObject o:
                    CheckDepth(depth);
                    foreach (var member in o)
                    {
                        steps.Add(member.Key);
                        if (HasLoneSurrogate(member.Key))
                        {
                            throw PackageMetadataException.LoneSurrogate(Path(steps), logicalKey);
                        }

                        Walk(member.Value, depth + 1);
                        steps.RemoveAt(steps.Count - 1);
                    }

                    break;
            }
        }

        void CheckDepth(int depth)
        {
            if (depth >= MaxDepth)
            {
                throw PackageMetadataException.TooDeep(Path(steps), MaxDepth, logicalKey);
            }
        }
    }

    private static bool HasLoneSurrogate(string text) =>
        text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0
        && System.Text.Unicode.Utf8.FromUtf16(text, new byte[Encoding.UTF8.GetMaxByteCount(text.Length)], out _, out _, replaceInvalidSequences: false) != OperationStatus.Done;

    /// <summary>A JSONPath: <c>$</c>, then <c>.name</c> for plain names, <c>["…"]</c> for others, <c>[i]</c> for array items.</summary>
    private static string Path(List<object> steps)
    {
        var path = new StringBuilder("$");
        foreach (var step in steps)
        {
            if (step is int index)
            {
                path.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else if (step is string name && IsPlainName(name))
            {
                path.Append('.').Append(name);
            }
            else
            {
                path.Append('[').Append(JsonText.Serialize(new QuiltJsonString(EscapeSurrogates((string)step)))).Append(']');
            }
        }

        return path.ToString();
    }

    private static bool IsPlainName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>Lone surrogates in a path would make the message itself unencodable: show them as <c>\uXXXX</c>.</summary>
    private static string EscapeSurrogates(string name)
    {
        var text = new StringBuilder(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                text.Append(c).Append(name[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }
}
