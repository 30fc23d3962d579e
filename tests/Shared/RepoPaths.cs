namespace Quilt.Testing;

/// <summary>Finds the repository root and the <c>shared/</c> folder that sits beside it (CI clones main next to it).</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The folder holding QuiltMcp.slnx.</summary>
    public static string RepoRoot => Root.Value;

    /// <summary>The shared folder: <c>QUILT_SHARED_DIR</c> if set, else <c>../shared</c> beside the repository.</summary>
    public static string Shared
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("QUILT_SHARED_DIR");
            var path = string.IsNullOrEmpty(fromEnv) ? Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared")) : fromEnv;
            if (!Directory.Exists(path))
            {
                throw new DirectoryNotFoundException($"The shared folder was not found at {path}; clone the repository beside shared/ or set QUILT_SHARED_DIR.");
            }

            return path;
        }
    }

    /// <summary>The test vectors folder, <c>shared/vectors</c>.</summary>
    public static string Vectors => Path.Combine(Shared, "vectors");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "QuiltMcp.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("QuiltMcp.slnx not found above " + AppContext.BaseDirectory);
    }
}
