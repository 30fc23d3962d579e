using Quilt.Core.Json;
using Quilt.Core.Manifests;
using Quilt.Packaging.Contracts;

namespace Quilt.Packaging.Pipeline;

/// <summary>How two revisions differ, computed the same way in both modes from the entries each mode reads.</summary>
public static class RevisionDiff
{
    /// <summary>
    /// Entries added, removed and modified (size, hash or metadata) by logical key in walk order, and whether the package
    /// metadata or message changed.
    /// </summary>
    public static PackageDiffResult Compare(
        string packageName,
        (string TopHash, string? Message, QuiltJsonValue? UserMeta, IReadOnlyList<PackageEntryView> Entries) from,
        (string TopHash, string? Message, QuiltJsonValue? UserMeta, IReadOnlyList<PackageEntryView> Entries) to)
    {
        var a = from.Entries.ToDictionary(e => e.LogicalKey, StringComparer.Ordinal);
        var b = to.Entries.ToDictionary(e => e.LogicalKey, StringComparer.Ordinal);
        var added = b.Keys.Where(k => !a.ContainsKey(k)).Order(LogicalKeyComparer.Instance).ToList();
        var removed = a.Keys.Where(k => !b.ContainsKey(k)).Order(LogicalKeyComparer.Instance).ToList();
        var modified = a.Keys
            .Where(k => b.TryGetValue(k, out var other) && (other.Size != a[k].Size || other.HashType != a[k].HashType || other.HashValue != a[k].HashValue || !other.Meta.Equals(a[k].Meta)))
            .Order(LogicalKeyComparer.Instance)
            .ToList();
        var metaChanged = !Equals(from.UserMeta, to.UserMeta) || from.Message != to.Message;
        return new PackageDiffResult(packageName, from.TopHash, to.TopHash, added, removed, modified, metaChanged);
    }

    /// <summary>A manifest entry as the browse and diff results show it.</summary>
    public static PackageEntryView View(ManifestEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new PackageEntryView(entry.LogicalKey, entry.PhysicalKey, entry.Size, entry.Hash.Type, entry.Hash.Value, entry.Meta);
    }
}
