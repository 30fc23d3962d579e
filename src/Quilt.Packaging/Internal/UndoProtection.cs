using Quilt.Storage;

namespace Quilt.Packaging.Internal;

/// <summary>Keys and versions a newer revision of the package references: a rollback never deletes them.</summary>
internal sealed record UndoProtection(HashSet<string> Keys, HashSet<string> Versions, bool All)
{
    public static UndoProtection None { get; } = new([], [], false);

    public bool Protects(IObjectStore store, ObjectLocation location)
    {
        if (All)
        {
            return true;
        }

        if (Keys.Count == 0)
        {
            return false;
        }

        return location.VersionId is not null
            ? Versions.Contains(store.ToPhysicalKey(location))
            : Keys.Contains(store.ToPhysicalKey(location));
    }
}
