using System.Collections.ObjectModel;
using Quilt.Core.Errors;
using Quilt.Core.Json;
using Quilt.Core.Manifests.Internal;

namespace Quilt.Core.Manifests;

/// <summary>
/// One package revision: the header object, the file entries in walk order and the directory metadata
/// (quilt-format §2). Immutable; build one with <see cref="Create"/> or read one with <see cref="ManifestReader"/>.
/// </summary>
public sealed class Manifest
{
    private const string ObsoleteTopHashMember = "top_hash";

    internal Manifest(QuiltJsonObject header, ManifestEntry[] entries, DirectoryEntry[] directories)
    {
        Header = header.Without(ObsoleteTopHashMember);
        Array.Sort(entries, static (x, y) => LogicalKeyComparer.Instance.Compare(x.LogicalKey, y.LogicalKey));
        Array.Sort(directories, static (x, y) => LogicalKeyComparer.Instance.Compare(x.LogicalKey, y.LogicalKey));
        Entries = new ReadOnlyCollection<ManifestEntry>(entries);
        Directories = new ReadOnlyCollection<DirectoryEntry>(directories);
    }

    /// <summary>
    /// The header line as stored (member order kept, obsolete <c>top_hash</c> removed). Every member is hashed,
    /// unknown ones included.
    /// </summary>
    public QuiltJsonObject Header { get; }

    /// <summary>The file entries in walk order (<see cref="LogicalKeyComparer"/>), which is also the order written and hashed.</summary>
    public IReadOnlyList<ManifestEntry> Entries { get; }

    /// <summary>Directory metadata, parents before children and siblings sorted; not hashed.</summary>
    public IReadOnlyList<DirectoryEntry> Directories { get; }

    /// <summary>The commit message, or null when the header has none, a JSON <c>null</c>, or a non-string value.</summary>
    public string? Message => Header.TryGetValue("message", out var value) && value is QuiltJsonString s ? s.Value : null;

    /// <summary>Package-level user metadata (header <c>user_meta</c>), or null when absent; a JSON <c>null</c> is returned as <see cref="QuiltJsonNull"/>.</summary>
    public QuiltJsonValue? UserMeta => Header.TryGetValue("user_meta", out var value) ? value : null;

    /// <summary>
    /// Creates a manifest. Entries may come in any order (they are sorted into walk order); a <c>top_hash</c>
    /// header member is dropped, as quilt3 does on load.
    /// </summary>
    /// <exception cref="QuiltException">
    /// Kind <see cref="QuiltErrorKind.InvalidInput"/> for duplicate logical keys, a key that is both a file and a
    /// directory (<c>a</c> and <c>a/b</c>), or a directory key without a trailing <c>/</c> or given twice.
    /// </exception>
    public static Manifest Create(QuiltJsonObject header, IEnumerable<ManifestEntry> entries, IEnumerable<DirectoryEntry>? directories = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(entries);
        var entryArray = entries.ToArray();
        var directoryArray = directories?.ToArray() ?? [];

        var files = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entryArray)
        {
            ArgumentNullException.ThrowIfNull(entry);
            if (!files.Add(entry.LogicalKey))
            {
                throw QuiltException.InvalidInput(
                    $"Duplicate logical key '{entry.LogicalKey}'.",
                    "Every file in a package needs its own logical key; rename or drop one of them.");
            }
        }

        var directoryKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var directory in directoryArray)
        {
            ArgumentNullException.ThrowIfNull(directory);
            ArgumentNullException.ThrowIfNull(directory.LogicalKey);
            ArgumentNullException.ThrowIfNull(directory.Meta);
            if (!directory.LogicalKey.EndsWith('/'))
            {
                throw QuiltException.InvalidInput(
                    $"Directory key '{directory.LogicalKey}' does not end with '/'.",
                    "Directory metadata keys end with a slash, for example 'data/'; package metadata goes in the header's user_meta.");
            }

            if (!directoryKeys.Add(directory.LogicalKey))
            {
                throw QuiltException.InvalidInput(
                    $"Directory metadata for '{directory.LogicalKey}' is given twice.",
                    "Give each directory's metadata once.");
            }
        }

        if (KeyConflicts.Find(files, directoryKeys) is var (file, other))
        {
            throw QuiltException.InvalidInput(
                $"Logical key '{file}' is a file but '{other}' uses it as a directory.",
                "A path cannot be both a file and a directory in one package; rename one of them.");
        }

        return new Manifest(header, entryArray, directoryArray);
    }

    /// <summary>
    /// Builds a header with quilt3's member order for a fresh build or push: <c>version</c> (<c>"v0"</c>),
    /// <c>user_meta</c> (only when <paramref name="userMeta"/> is not null; pass <see cref="QuiltJsonNull.Instance"/>
    /// to write <c>null</c>, as <c>quilt3 push --dir</c> does), <c>workflow</c> (when given) and <c>message</c>
    /// (JSON <c>null</c> when <paramref name="message"/> is null). Absent, null and empty message hash differently.
    /// </summary>
    public static QuiltJsonObject CreateHeader(QuiltJsonValue? userMeta, QuiltJsonObject? workflow, string? message)
    {
        var members = new List<KeyValuePair<string, QuiltJsonValue>> { new("version", new QuiltJsonString("v0")) };
        if (userMeta is not null)
        {
            members.Add(new("user_meta", userMeta));
        }

        if (workflow is not null)
        {
            members.Add(new("workflow", workflow));
        }

        members.Add(new("message", message is null ? QuiltJsonNull.Instance : new QuiltJsonString(message)));
        return new QuiltJsonObject(members);
    }

    /// <summary>The top hash of this revision (64 lowercase hex characters); see <see cref="TopHash.Compute"/>.</summary>
    public string ComputeTopHash() => TopHash.Compute(this);
}
