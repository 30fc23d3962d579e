using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Quilt.Storage;
using Quilt.Testing;

namespace Quilt.Packaging.Tests.Pipeline;

/// <summary>The kinds of registry a rollback must be proved on: a local folder, and S3 buckets with and without versions.</summary>
public enum RegistryKind
{
    /// <summary>A local folder (source and registry).</summary>
    Local,

    /// <summary>moto buckets without versioning: a copy replaces what was there.</summary>
    Unversioned,

    /// <summary>moto buckets with versioning: every write is a new version.</summary>
    Versioned,
}

/// <summary>
/// A source and a registry of one <see cref="RegistryKind"/>, with two sets of packaging services over them: one through
/// an <see cref="InterceptingStore"/> (the run under test) and one straight on the store (the "other" run). Listings
/// of what the registry holds go around the code under test: the file system, or the raw SDK's version listing.
/// </summary>
internal sealed class RegistryWorld : IDisposable
{
    private readonly AmazonS3Client? _raw;
    private readonly S3ObjectStore? _s3;
    private readonly string? _root;

    private RegistryWorld(RegistryKind kind, IObjectStore store, string source, string registry, string sourceUri, AmazonS3Client? raw, S3ObjectStore? s3, string? root, PackagingOptions options)
    {
        Kind = kind;
        SourceBucket = source;
        RegistryBucket = registry;
        SourceUri = sourceUri;
        _raw = raw;
        _s3 = s3;
        _root = root;
        Store = new InterceptingStore(store);
        Registry = kind == RegistryKind.Local ? registry : $"s3://{registry}";
        Operations = new DirectQuiltOperations(Provider(Store), options);
        Plain = new DirectQuiltOperations(Provider(store), options with { StateDirectory = null });
    }

    public RegistryKind Kind { get; }

    /// <summary>The source bucket (or folder).</summary>
    public string SourceBucket { get; }

    /// <summary>The registry bucket (or folder).</summary>
    public string RegistryBucket { get; }

    /// <summary>The source as a create request names it (the whole prefix <c>data/</c>).</summary>
    public string SourceUri { get; }

    /// <summary>The registry as a create request names it.</summary>
    public string Registry { get; }

    /// <summary>The store the run under test goes through.</summary>
    public InterceptingStore Store { get; }

    /// <summary>Services of the run under test.</summary>
    public DirectQuiltOperations Operations { get; }

    /// <summary>Services that bypass the hooks, for another run or for reading back.</summary>
    public DirectQuiltOperations Plain { get; }

    public static async Task<RegistryWorld> CreateAsync(RegistryKind kind, MotoFixture moto, PackagingOptions options, Func<S3StoreOptions, S3StoreOptions>? configure = null)
    {
        if (kind == RegistryKind.Local)
        {
            var root = Directory.CreateTempSubdirectory("quilt-world-").FullName;
            var source = Path.Combine(root, "source");
            var registry = Path.Combine(root, "registry");
            Directory.CreateDirectory(Path.Combine(source, "data"));
            return new RegistryWorld(kind, new LocalObjectStore(), source, registry, Path.Combine(source, "data"), null, null, root, options);
        }

        var ct = TestContext.Current.CancellationToken;
        var versioned = kind == RegistryKind.Versioned;
        var sourceBucket = await moto.Server.CreateBucketAsync(versioned, ct);
        var registryBucket = await moto.Server.CreateBucketAsync(versioned, ct);
        var s3 = moto.Server.CreateStore(configure);
        return new RegistryWorld(kind, s3, sourceBucket, registryBucket, $"s3://{sourceBucket}/data/", moto.Server.CreateRawClient(), s3, null, options);
    }

    /// <summary>Writes (or replaces) a source object under <c>data/</c>.</summary>
    public async Task WriteSourceAsync(string key, string content)
    {
        if (_raw is null)
        {
            var path = Path.Combine(SourceBucket, "data", key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, content, TestContext.Current.CancellationToken);
            return;
        }

        await _raw.PutObjectAsync(new PutObjectRequest { BucketName = SourceBucket, Key = "data/" + key, ContentBody = content }, TestContext.Current.CancellationToken);
    }

    /// <summary>Writes an object into the registry bucket (or folder) directly, as another writer would.</summary>
    public async Task WriteRegistryAsync(string key, string content)
    {
        if (_raw is null)
        {
            var path = Path.Combine(RegistryBucket, key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, content, TestContext.Current.CancellationToken);
            return;
        }

        await _raw.PutObjectAsync(new PutObjectRequest { BucketName = RegistryBucket, Key = key, ContentBody = content }, TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// Everything the registry holds, one line per object version (key, version id, ETag, delete marker) or per local file
    /// (path and SHA-256 of its bytes): two equal listings mean nothing was added, removed or replaced.
    /// </summary>
    public async Task<IReadOnlyList<string>> RegistryVersionsAsync()
    {
        if (_raw is null)
        {
            if (!Directory.Exists(RegistryBucket))
            {
                return [];
            }

            return Directory.EnumerateFiles(RegistryBucket, "*", SearchOption.AllDirectories)
                .Select(f => $"{Path.GetRelativePath(RegistryBucket, f).Replace('\\', '/')} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}")
                .Order(StringComparer.Ordinal)
                .ToList();
        }

        var lines = new List<string>();
        var request = new ListVersionsRequest { BucketName = RegistryBucket };
        ListVersionsResponse response;
        do
        {
            response = await _raw.ListVersionsAsync(request, TestContext.Current.CancellationToken);
            lines.AddRange((response.Versions ?? []).Select(v => $"{v.Key} {v.VersionId} {v.ETag} {(v.IsDeleteMarker == true ? "delete-marker" : "")}"));
            request.KeyMarker = response.NextKeyMarker;
            request.VersionIdMarker = response.NextVersionIdMarker;
        }
        while (response.IsTruncated == true);
        return lines.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Multipart uploads open in the registry bucket (none for a local folder).</summary>
    public async Task<int> OpenUploadsAsync()
    {
        if (_raw is null)
        {
            return 0;
        }

        var response = await _raw.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = RegistryBucket }, TestContext.Current.CancellationToken);
        return response.MultipartUploads?.Count ?? 0;
    }

    public void Dispose()
    {
        _raw?.Dispose();
        _s3?.Dispose();
        if (_root is not null)
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private StoreProvider Provider(IObjectStore store) =>
        Kind == RegistryKind.Local
            ? new StoreProvider(store, () => throw new InvalidOperationException("S3 is not used in local worlds."))
            : new StoreProvider(new LocalObjectStore(), () => store);
}
