using System.Globalization;
using System.Text;
using Quilt.Core.Errors;
using Quilt.Core.Naming;

namespace Quilt.Core.Selection;

/// <summary>
/// Maps selected source objects to logical keys and finds every problem before anything is written
/// (DESIGN §3 steps 1–2): keys that break the logical-key rules, several objects with one logical key
/// (flattening <c>a/x.csv</c> and <c>b/x.csv</c>), and a key that is both a file and a folder. Add objects
/// as the listing streams them; memory grows with the number of keys (and distinct folders) only.
/// </summary>
public sealed class LogicalKeyPlanner
{
    private const int MaxListed = 20;
    private const int MaxSourcesPerCollision = 5;

    private readonly List<PlannedKey> _keys = [];
    private readonly Dictionary<string, int> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _folders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _collisions = new(StringComparer.Ordinal);
    private readonly List<string> _collisionOrder = [];
    private readonly List<InvalidPlannedKey> _invalid = [];
    private readonly List<PathConflict> _conflicts = [];
    private readonly HashSet<string> _conflictingFiles = new(StringComparer.Ordinal);

    /// <summary>Creates a planner.</summary>
    /// <param name="preserveStructure">Keep the relative path as the logical key (true) or only the file name (false).</param>
    public LogicalKeyPlanner(bool preserveStructure)
    {
        PreserveStructure = preserveStructure;
    }

    /// <summary>Whether folders are kept in logical keys.</summary>
    public bool PreserveStructure { get; }

    /// <summary>The planned entries with valid logical keys, in the order added (the first of colliding objects included, later ones not).</summary>
    public IReadOnlyList<PlannedKey> Keys => _keys;

    /// <summary>Logical keys claimed by more than one object, in order of first collision.</summary>
    public IReadOnlyList<KeyCollision> Collisions =>
        _collisionOrder.Select(key => new KeyCollision(key, [_keys[_files[key]].SourceKey, .. _collisions[key]])).ToList();

    /// <summary>Objects whose logical key would be invalid.</summary>
    public IReadOnlyList<InvalidPlannedKey> InvalidKeys => _invalid;

    /// <summary>Logical keys that are both a file and a folder.</summary>
    public IReadOnlyList<PathConflict> PathConflicts => _conflicts;

    /// <summary>Whether any problem was found.</summary>
    public bool HasErrors => _collisionOrder.Count > 0 || _invalid.Count > 0 || _conflicts.Count > 0;

    /// <summary>Adds one selected object.</summary>
    /// <param name="sourceKey">The source key, used in error messages.</param>
    /// <param name="relativePath">Its path relative to the source prefix (<see cref="KeyMapping.RelativePath"/>).</param>
    public void Add(string sourceKey, string relativePath)
    {
        ArgumentNullException.ThrowIfNull(sourceKey);
        var logicalKey = KeyMapping.ToLogicalKey(relativePath, PreserveStructure);
        var violation = LogicalKeys.GetViolation(logicalKey);
        if (violation is not null)
        {
            _invalid.Add(new InvalidPlannedKey(sourceKey, logicalKey, violation));
            return;
        }

        if (_files.ContainsKey(logicalKey))
        {
            if (!_collisions.TryGetValue(logicalKey, out var others))
            {
                _collisions[logicalKey] = others = [];
                _collisionOrder.Add(logicalKey);
            }

            others.Add(sourceKey);
            return;
        }

        var index = _keys.Count;
        _keys.Add(new PlannedKey(sourceKey, relativePath, logicalKey));
        _files.Add(logicalKey, index);
        if (_folders.TryGetValue(logicalKey, out var nestedIndex))
        {
            AddConflict(index, nestedIndex);
        }

        var folders = _folders.GetAlternateLookup<ReadOnlySpan<char>>();
        var files = _files.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var slash = logicalKey.IndexOf('/', StringComparison.Ordinal); slash >= 0; slash = logicalKey.IndexOf('/', slash + 1))
        {
            var folder = logicalKey.AsSpan(0, slash);
            if (!folders.ContainsKey(folder))
            {
                _folders.Add(folder.ToString(), index);
            }

            if (files.TryGetValue(folder, out var fileIndex))
            {
                AddConflict(fileIndex, index);
            }
        }
    }

    /// <summary>
    /// Throws when any problem was found, listing the offending logical keys with their source keys (the first
    /// few, then a count) and saying how to fix them.
    /// </summary>
    /// <exception cref="QuiltException">Kind InvalidInput.</exception>
    public void ThrowIfInvalid()
    {
        if (!HasErrors)
        {
            return;
        }

        var message = new StringBuilder();
        var hints = new List<string>();
        if (_collisionOrder.Count > 0)
        {
            message.Append(CultureInfo.InvariantCulture, $"{_collisionOrder.Count} logical key(s) would each hold more than one object:");
            AppendList(message, Collisions, c => $"'{c.LogicalKey}' <- {FormatSources(c.SourceKeys)}");
            hints.Add(PreserveStructure
                ? "exclude all but one of the objects that share a logical key"
                : "keep the folder structure in logical keys (preserve structure), or exclude one of them");
        }

        if (_invalid.Count > 0)
        {
            AppendSeparator(message);
            message.Append(CultureInfo.InvariantCulture, $"{_invalid.Count} object(s) would get an invalid logical key:");
            AppendList(message, _invalid, k => $"'{k.SourceKey}' -> '{k.LogicalKey}': {k.Reason}");
            hints.Add("exclude those objects with an exclude pattern (keys with '//', '.' or '..' segments, or a trailing '/', cannot be package paths)");
        }

        if (_conflicts.Count > 0)
        {
            AppendSeparator(message);
            message.Append(CultureInfo.InvariantCulture, $"{_conflicts.Count} logical key(s) would be both a file and a folder:");
            AppendList(message, _conflicts, c => $"'{c.FileKey}' (from '{c.FileSourceKey}') and '{c.NestedKey}' (from '{c.NestedSourceKey}')");
            hints.Add("exclude either the file or the objects below it");
        }

        var hint = string.Join("; ", hints);
        var reason = _collisionOrder.Count > 0 ? QuiltErrorReason.LogicalKeyCollision : QuiltErrorReason.Unspecified;
        var field = _collisionOrder.Count > 0 && !PreserveStructure ? QuiltInputField.PreserveStructure : QuiltInputField.None;
        throw QuiltException.InvalidInput(reason, field, message.ToString(), char.ToUpperInvariant(hint[0]) + hint[1..] + ".");
    }

    private static void AppendList<T>(StringBuilder message, IReadOnlyList<T> items, Func<T, string> format)
    {
        foreach (var item in items.Take(MaxListed))
        {
            message.Append("\n  ").Append(format(item));
        }

        if (items.Count > MaxListed)
        {
            message.Append(CultureInfo.InvariantCulture, $"\n  and {items.Count - MaxListed} more");
        }
    }

    private static void AppendSeparator(StringBuilder message)
    {
        if (message.Length > 0)
        {
            message.Append('\n');
        }
    }

    private static string FormatSources(IReadOnlyList<string> sources)
    {
        var listed = string.Join(", ", sources.Take(MaxSourcesPerCollision).Select(s => $"'{s}'"));
        return sources.Count > MaxSourcesPerCollision
            ? listed + string.Create(CultureInfo.InvariantCulture, $" and {sources.Count - MaxSourcesPerCollision} more")
            : listed;
    }

    private void AddConflict(int fileIndex, int nestedIndex)
    {
        var file = _keys[fileIndex];
        if (_conflictingFiles.Add(file.LogicalKey))
        {
            var nested = _keys[nestedIndex];
            _conflicts.Add(new PathConflict(file.LogicalKey, file.SourceKey, nested.LogicalKey, nested.SourceKey));
        }
    }
}
