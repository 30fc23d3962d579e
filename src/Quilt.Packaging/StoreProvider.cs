using Quilt.Core.Errors;
using Quilt.Core.Naming;
using Quilt.Packaging.Internal;
using Quilt.Packaging.Registry;
using Quilt.Storage;

namespace Quilt.Packaging;

/// <summary>
/// Gives the store that serves a <see cref="StorageLocation"/> (parsed once, where the user's text came in). The S3 store is created on first use, so local-only runs need no AWS
/// configuration.
/// </summary>
public sealed class StoreProvider
{
    private readonly Lazy<IObjectStore> _s3;

    /// <summary>Creates a provider over a local store and a factory for the S3 store.</summary>
    public StoreProvider(IObjectStore local, Func<IObjectStore> s3Factory)
    {
        Local = local;
        _s3 = new Lazy<IObjectStore>(s3Factory, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The local-folder store.</summary>
    public IObjectStore Local { get; }

    /// <summary>The S3 store (created on first use).</summary>
    public IObjectStore S3 => _s3.Value;

    /// <summary>Whether the S3 store was created (so its request counts mean something).</summary>
    public bool S3Created => _s3.IsValueCreated;

    /// <summary>Total requests made so far by the stores in use.</summary>
    internal IReadOnlyDictionary<string, long> SnapshotRequests()
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        Add(Local.Requests.Snapshot());
        if (_s3.IsValueCreated)
        {
            Add(_s3.Value.Requests.Snapshot());
        }

        return counts;

        void Add(IReadOnlyDictionary<string, long> snapshot)
        {
            foreach (var (op, n) in snapshot)
            {
                counts[op] = counts.GetValueOrDefault(op) + n;
            }
        }
    }

    /// <summary>The store serving <paramref name="location"/>.</summary>
    public IObjectStore For(StorageLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location.IsS3 ? S3 : Local;
    }

    /// <summary>Opens a registry (a bucket root or a folder); a path below a bucket is refused.</summary>
    internal PackageRegistry OpenRegistry(StorageLocation registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (registry.Key.Trim('/').Length > 0)
        {
            throw QuiltException.InvalidInput($"A registry is a bucket root, but '{registry}' has a path.", registry.IsS3 ? $"Use s3://{registry.Bucket}." : "Give the registry folder itself.");
        }

        return new PackageRegistry(For(registry), registry.Bucket, registry.WithKey("").ToString());
    }

    /// <summary>
    /// Resolves a manifest entry's physical key: URL-encoded as quilt3 writes it (<c>s3://b/a%20b.txt?versionId=…</c>,
    /// <c>file:///…</c>), so it is decoded, unlike a location a person typed.
    /// </summary>
    internal (IObjectStore Store, ObjectLocation Location) ResolvePhysicalKey(string physicalKey)
    {
        var location = StorageLocation.Of(PhysicalKey.Parse(physicalKey));
        return (For(location), location.ToObject());
    }
}
