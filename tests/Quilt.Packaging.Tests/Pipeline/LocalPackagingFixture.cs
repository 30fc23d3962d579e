using Quilt.Packaging;
using Quilt.Storage;

namespace Quilt.Packaging.Tests.Pipeline;

/// <summary>A temporary source folder and registry folder with the packaging services over local stores.</summary>
internal sealed class LocalPackagingFixture : IDisposable
{
    public LocalPackagingFixture(IObjectStore? local = null, PackagingOptions? options = null)
    {
        Root = Directory.CreateTempSubdirectory("quilt-pkg-").FullName;
        Source = Path.Combine(Root, "source");
        Registry = Path.Combine(Root, "registry");
        Directory.CreateDirectory(Source);
        Store = local ?? new LocalObjectStore();
        Stores = new StoreProvider(Store, () => throw new InvalidOperationException("S3 is not used in local tests."));
        Operations = new DirectQuiltOperations(Stores, options ?? new PackagingOptions { Concurrency = 4 });
    }

    public string Root { get; }

    public string Source { get; }

    public string Registry { get; }

    public IObjectStore Store { get; }

    public StoreProvider Stores { get; }

    public DirectQuiltOperations Operations { get; }

    public string Write(string relativePath, string content)
    {
        var path = Path.Combine(Source, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Every file below the registry folder, as relative paths (what a rollback must leave unchanged).</summary>
    public IReadOnlyList<string> RegistryFiles() =>
        Directory.Exists(Registry)
            ? Directory.EnumerateFiles(Registry, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Registry, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList()
            : [];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
