using Quilt.Core.Errors;

namespace Quilt.Storage.Internal;

/// <summary>
/// How a <see cref="LocalObjectStore"/> maps a location to a path: the bucket is an absolute folder, keys are
/// '/'-separated relative paths that must stay inside it, and links resolve as quilt3's <c>os.path.realpath</c>.
/// </summary>
internal static class LocalPaths
{
    /// <summary>The folder a bucket names (absolute, without a trailing separator).</summary>
    public static string Root(string bucket)
    {
        if (string.IsNullOrWhiteSpace(bucket) || !Path.IsPathFullyQualified(bucket))
        {
            throw QuiltException.InvalidInput($"'{bucket}' is not an absolute folder path.", "Give the folder as an absolute path or a file:/// URL.");
        }

        return Path.TrimEndingDirectorySeparator(Path.GetFullPath(bucket));
    }

    /// <summary>The folder a bucket names, which must exist.</summary>
    public static string ExistingRoot(string bucket)
    {
        var root = Root(bucket);
        if (!Directory.Exists(root))
        {
            throw QuiltException.NotFound($"The folder {root} does not exist.", "Create it, or check the path.");
        }

        return root;
    }

    /// <summary>The path of a location's key, refused when the key would leave the folder.</summary>
    public static string Resolve(ObjectLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        var root = Root(location.Bucket);
        if (!TryResolveKey(root, location.Key, out var path))
        {
            throw QuiltException.InvalidInput(
                $"'{location.Key}' is not a valid key inside {root}: keys are '/'-separated relative paths without empty, '.' or '..' segments.",
                "Use a relative path such as 'data/file.csv'.");
        }

        return path;
    }

    /// <summary>The path of <paramref name="key"/> below <paramref name="root"/>, when it is a valid key inside it.</summary>
    public static bool TryResolveKey(string root, string key, out string path)
    {
        path = string.Empty;
        if (string.IsNullOrEmpty(key) || key.Contains('\0', StringComparison.Ordinal) || (Path.DirectorySeparatorChar == '\\' && key.Contains('\\', StringComparison.Ordinal)))
        {
            return false;
        }

        foreach (var segment in key.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                return false;
            }
        }

        var full = Path.GetFullPath(Path.Combine(root, key.Replace('/', Path.DirectorySeparatorChar)));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return false;
        }

        path = full;
        return true;
    }

    /// <summary>The path with every symbolic link resolved, as quilt3's <c>os.path.realpath</c> gives it.</summary>
    public static string RealPath(string path, int depth)
    {
        if (depth > 40)
        {
            throw QuiltException.InvalidInput($"Too many levels of symbolic links in {path}.", "Remove the link cycle.");
        }

        var full = Path.GetFullPath(path);
        var current = Path.GetPathRoot(full)!;
        foreach (var segment in full[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, segment);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.LinkTarget is not null)
            {
                FileSystemInfo? target;
                try
                {
                    target = info.ResolveLinkTarget(returnFinalTarget: true);
                }
                catch (IOException e)
                {
                    throw QuiltException.InvalidInput($"The symbolic link {next} cannot be resolved: {e.Message}", "Fix or remove the link.");
                }

                if (target is not null)
                {
                    next = RealPath(target.FullName, depth + 1);
                }
            }

            current = next;
        }

        return current;
    }
}
