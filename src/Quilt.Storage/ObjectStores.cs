using System.Collections.Concurrent;

namespace Quilt.Storage;

/// <summary>
/// Picks the store for a location. S3 stores are shared per process (one client, one connection pool, one request
/// gate per configuration), so every caller in the MCP server or CLI pushes S3 within the same bound. Shared stores
/// live as long as the process; do not dispose them.
/// </summary>
public static class ObjectStores
{
    private static readonly Lazy<S3ObjectStore> DefaultS3 = new(() => S3ObjectStore.FromEnvironment(), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly ConcurrentDictionary<S3StoreOptions, Lazy<S3ObjectStore>> ConfiguredS3 = new();
    private static readonly Lazy<LocalObjectStore> SharedLocal = new(() => new LocalObjectStore(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The process-wide local store.</summary>
    public static LocalObjectStore Local => SharedLocal.Value;

    /// <summary>The process-wide S3 store for <paramref name="options"/> (environment configuration when null).</summary>
    public static S3ObjectStore S3(S3StoreOptions? options = null) =>
        options is null
            ? DefaultS3.Value
            : ConfiguredS3.GetOrAdd(options, o => new Lazy<S3ObjectStore>(() => S3ObjectStore.FromEnvironment(o), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>The store serving <paramref name="location"/>: the shared S3 store for S3, else the local store.</summary>
    public static IObjectStore For(StorageLocation location, S3StoreOptions? s3Options = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location.IsS3 ? S3(s3Options) : Local;
    }
}
