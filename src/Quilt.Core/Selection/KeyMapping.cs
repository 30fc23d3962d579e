using Quilt.Core.Errors;

namespace Quilt.Core.Selection;

/// <summary>
/// How source keys become package paths (DESIGN §3 step 1): the key relative to the source prefix, kept as
/// is (<c>preserve_structure</c>) or reduced to the file name (flat).
/// </summary>
public static class KeyMapping
{
    /// <summary>
    /// The prefix that relative paths are computed from: a prefix not ending in <c>/</c> is cut back to its
    /// last <c>/</c> (so <c>data/2024</c> lists <c>data/2024-01/x.csv</c> as <c>2024-01/x.csv</c>, never as a
    /// broken <c>-01/x.csv</c>); <c>""</c> stays <c>""</c>.
    /// </summary>
    /// <param name="prefix">The source prefix as the user gave it.</param>
    public static string NormalizePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return prefix[..(prefix.LastIndexOf('/') + 1)];
    }

    /// <summary>The part of <paramref name="key"/> after <paramref name="normalizedPrefix"/>.</summary>
    /// <param name="normalizedPrefix">A prefix from <see cref="NormalizePrefix"/> (empty or ending in <c>/</c>).</param>
    /// <param name="key">A source key under that prefix.</param>
    /// <exception cref="ArgumentException">The prefix is not normalized.</exception>
    /// <exception cref="QuiltException">The key is not under the prefix (kind InvalidInput).</exception>
    public static string RelativePath(string normalizedPrefix, string key)
    {
        ArgumentNullException.ThrowIfNull(normalizedPrefix);
        ArgumentNullException.ThrowIfNull(key);
        if (normalizedPrefix.Length > 0 && normalizedPrefix[^1] != '/')
        {
            throw new ArgumentException($"Prefix '{normalizedPrefix}' is not normalized; pass it through NormalizePrefix first.", nameof(normalizedPrefix));
        }

        if (!key.StartsWith(normalizedPrefix, StringComparison.Ordinal))
        {
            throw QuiltException.InvalidInput($"Key '{key}' is not under the prefix '{normalizedPrefix}'.", "List the source with the same prefix used to compute relative paths.");
        }

        return key[normalizedPrefix.Length..];
    }

    /// <summary>The logical key for a relative path: itself, or its last segment when flattening.</summary>
    /// <param name="relativePath">The path relative to the prefix.</param>
    /// <param name="preserveStructure">Keep folders (true) or only the file name (false).</param>
    public static string ToLogicalKey(string relativePath, bool preserveStructure)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        return preserveStructure ? relativePath : relativePath[(relativePath.LastIndexOf('/') + 1)..];
    }
}
