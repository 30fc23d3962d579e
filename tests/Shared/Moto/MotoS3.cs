#if QUILT_STORAGE
// Compiled only into test projects that reference Quilt.Storage and define QUILT_STORAGE
// (<DefineConstants>$(DefineConstants);QUILT_STORAGE</DefineConstants>): Quilt.Core.Tests has no AWS types.
using Amazon.Runtime;
using Amazon.S3;
using Quilt.Storage;

namespace Quilt.Testing;

/// <summary>S3 clients and stores pointed at a <see cref="MotoServer"/>, with fake credentials (never the environment's).</summary>
public static class MotoS3
{
    /// <summary>Store options for moto: fake keys, short retry delays so that fault tests stay fast.</summary>
    public static S3StoreOptions StoreOptions(this MotoServer server) => new()
    {
        ServiceUrl = server.Endpoint,
        Region = MotoServer.Region,
        AccessKeyId = MotoServer.AccessKeyId,
        SecretAccessKey = MotoServer.SecretAccessKey,
        RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        RetryMaxDelay = TimeSpan.FromMilliseconds(50),
    };

    /// <summary>A new store on moto; <paramref name="configure"/> may change options (fault handlers, limits).</summary>
    public static S3ObjectStore CreateStore(this MotoServer server, Func<S3StoreOptions, S3StoreOptions>? configure = null)
    {
        var options = server.StoreOptions();
        return new S3ObjectStore(configure is null ? options : configure(options));
    }

    /// <summary>A bare SDK client on moto, for seeding and for checking what a store did.</summary>
    public static AmazonS3Client CreateRawClient(this MotoServer server, int maxConnections = 32) =>
        new(
            new BasicAWSCredentials(MotoServer.AccessKeyId, MotoServer.SecretAccessKey),
            new AmazonS3Config
            {
                ServiceURL = server.Endpoint,
                ForcePathStyle = true,
                AuthenticationRegion = MotoServer.Region,
                IgnoreConfiguredEndpointUrls = true,
                MaxConnectionsPerServer = maxConnections,
            });

    /// <summary>Writes many objects with at most <paramref name="parallelism"/> requests in flight.</summary>
    public static async Task SeedAsync(
        this IObjectStore store, string bucket, IEnumerable<(string Key, byte[] Content)> objects, int parallelism = 16, CancellationToken cancellationToken = default)
    {
        await Parallel.ForEachAsync(
            objects,
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (item, ct) => await store.PutAsync(new ObjectLocation(bucket, item.Key), item.Content, cancellationToken: ct));
    }
}
#endif
