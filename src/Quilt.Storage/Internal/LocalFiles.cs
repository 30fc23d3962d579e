using System.IO.Enumeration;
using Quilt.Core.Hashing;
using static Quilt.Storage.Internal.LocalPaths;

namespace Quilt.Storage.Internal;

/// <summary>The files of a <see cref="LocalObjectStore"/> folder: walking them for a listing, and writing one atomically.</summary>
internal static class LocalFiles
{
    /// <summary>The suffix of a file being written (a temporary name, renamed into place); listings skip such files.</summary>
    public const string TempSuffix = ".quilt-tmp";

    /// <summary>The files below <paramref name="root"/> whose keys start with <paramref name="prefix"/>, in no order.</summary>
    public static IEnumerable<(string Key, LocalFile File)> Enumerate(string root, string prefix)
    {
        // Start at the deepest folder the prefix names, so that a narrow prefix does not walk the whole tree.
        var slash = prefix.LastIndexOf('/');
        var start = root;
        if (slash > 0)
        {
            if (!TryResolveKey(root, prefix[..slash], out start))
            {
                yield break;
            }
        }

        if (!Directory.Exists(start))
        {
            yield break;
        }

        // Size and time come from the directory entry itself: no FileInfo (and no second stat) per file, which keeps a
        // listing of hundreds of thousands of files small. Symbolic links are followed, as FileInfo does.
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true, ReturnSpecialDirectories = false };
        var files = new FileSystemEnumerable<(string Path, LocalFile File)>(
            start,
            (ref FileSystemEntry entry) =>
            {
                var path = entry.ToFullPath();
                if ((entry.Attributes & FileAttributes.ReparsePoint) != 0)
                {
                    var target = new FileInfo(path);
                    return (path, new LocalFile(target.Exists ? target.Length : 0, target.LastWriteTimeUtc));
                }

                return (path, new LocalFile(entry.Length, entry.LastWriteTimeUtc.UtcDateTime));
            },
            options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory,
        };
        foreach (var (path, file) in files)
        {
            if (path.EndsWith(TempSuffix, StringComparison.Ordinal))
            {
                continue;
            }

            var key = Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                yield return (key, file);
            }
        }
    }

    /// <summary>Writes a file through a temporary name, then renames it into place (replacing unless told not to).</summary>
    public static async Task WriteAtomicallyAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken, bool replace = true)
    {
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..12] + TempSuffix);
        try
        {
            var output = new FileStream(temp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, Options = FileOptions.Asynchronous });
            await using (output.ConfigureAwait(false))
            {
                await write(output, cancellationToken).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            File.Move(temp, path, overwrite: replace);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Removes the folders a delete left empty, from <paramref name="folder"/> up to (not including) <paramref name="root"/>.</summary>
    public static void RemoveEmptyParents(string root, string? folder)
    {
        while (folder is not null && folder.Length > root.Length && folder.StartsWith(root, StringComparison.Ordinal))
        {
            try
            {
                if (Directory.EnumerateFileSystemEntries(folder).Any())
                {
                    return;
                }

                Directory.Delete(folder);
            }
            catch (IOException)
            {
                return; // someone wrote into it meanwhile
            }

            folder = Path.GetDirectoryName(folder);
        }
    }

    /// <summary>
    /// Copies <paramref name="from"/> to <paramref name="to"/> atomically, feeding the first <paramref name="expectedLength"/>
    /// bytes to <paramref name="hasher"/>; returns the bytes copied (more or fewer when the source changed meanwhile).
    /// </summary>
    public static async Task<long> CopyFileAsync(string from, string to, long expectedLength, ObjectHasher hasher, CancellationToken cancellationToken)
    {
        long copied = 0;
        await WriteAtomicallyAsync(
            to,
            async (output, ct) =>
            {
                var input = new FileStream(from, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.Read, Options = FileOptions.Asynchronous | FileOptions.SequentialScan });
                await using (input.ConfigureAwait(false))
                {
                    var buffer = new byte[128 * 1024];
                    int n;
                    while ((n = await input.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                    {
                        if (copied + n <= expectedLength)
                        {
                            hasher.Append(buffer.AsSpan(0, n));
                        }

                        await output.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                        copied += n;
                    }
                }
            },
            cancellationToken).ConfigureAwait(false);
        return copied;
    }
}
