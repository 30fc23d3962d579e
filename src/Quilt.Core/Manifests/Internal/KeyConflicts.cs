namespace Quilt.Core.Manifests.Internal;

/// <summary>
/// Finds a logical key that is both a file and a directory (<c>a</c> and <c>a/b</c>, or <c>a</c> and a
/// directory line <c>a/</c>), which quilt3's loader cannot represent.
/// </summary>
internal static class KeyConflicts
{
    /// <summary>Returns the first conflicting pair (file key, key that uses it as a directory), or null.</summary>
    public static (string File, string Other)? Find(HashSet<string> fileKeys, IEnumerable<string> directoryKeys)
    {
        var lookup = fileKeys.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var key in fileKeys)
        {
            var conflict = FindPrefix(lookup, key, key.Length);
            if (conflict is not null)
            {
                return (conflict, key);
            }
        }

        foreach (var directory in directoryKeys)
        {
            // "a/b/" is the directory path "a/b": it and its ancestors must not be files.
            var path = directory.AsSpan(0, directory.Length - 1);
            if (lookup.TryGetValue(path, out var file))
            {
                return (file, directory);
            }

            var conflict = FindPrefix(lookup, directory, path.Length);
            if (conflict is not null)
            {
                return (conflict, directory);
            }
        }

        return null;
    }

    private static string? FindPrefix(HashSet<string>.AlternateLookup<ReadOnlySpan<char>> lookup, string key, int end)
    {
        for (var i = key.IndexOf('/', StringComparison.Ordinal); i >= 0 && i < end; i = key.IndexOf('/', i + 1))
        {
            if (lookup.TryGetValue(key.AsSpan(0, i), out var file))
            {
                return file;
            }
        }

        return null;
    }
}
