using Quilt.Core.Errors;
using Quilt.Core.Naming;
using Quilt.Packaging.Internal;
using Quilt.Packaging.Registry;
using Quilt.Storage;

namespace Quilt.Packaging;

/// <summary>
/// Resolves what users type (<c>s3://bucket/prefix</c>, a bare bucket name for registries, <c>file:///abs</c> or a
/// local path) to the store that serves it. The S3 store is created on first use, so local-only runs need no AWS
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

    private const string VersionQuery = "?versionId=";

    /// <summary>Resolves a registry (a bucket root or a folder); a path below a bucket is refused.</summary>
    internal PackageRegistry ResolveRegistry(string registry)
    {
        var uri = Resolve(registry, bareNameIsBucket: true);
        if (uri.IsS3 && uri.Key.Length > 0)
        {
            throw QuiltException.InvalidInput($"A registry is a bucket root, but '{registry}' has a path.", $"Use s3://{uri.Bucket}.");
        }

        return new PackageRegistry(uri.Store, uri.Bucket, uri.IsS3 ? "s3://" + uri.Bucket : uri.Display);
    }

    /// <summary>
    /// Resolves a manifest entry's physical key: URL-encoded as quilt3 writes it (<c>s3://b/a%20b.txt?versionId=…</c>,
    /// <c>file:///…</c>), so it is decoded, unlike a location a person typed.
    /// </summary>
    internal ResolvedUri ResolvePhysicalKey(string physicalKey)
    {
        var key = PhysicalKey.Parse(physicalKey);
        if (!key.IsS3)
        {
            var full = key.LocalPath!;
            return new ResolvedUri(Local, Path.GetDirectoryName(full) ?? "/", Path.GetFileName(full), null, physicalKey);
        }

        ValidateBucketName(key.Bucket, physicalKey);
        return new ResolvedUri(S3, key.Bucket, key.Key, key.VersionId, physicalKey);
    }

    /// <summary>
    /// Resolves a source, object or registry URI. <paramref name="bareNameIsBucket"/>: a bare word with no '/' is an
    /// S3 bucket name (registries, MCP arguments) rather than a relative folder.
    /// </summary>
    internal ResolvedUri Resolve(string uri, bool bareNameIsBucket)
    {
        if (string.IsNullOrWhiteSpace(uri))
        {
            throw QuiltException.InvalidInput("An empty location was given.", "Pass s3://bucket/prefix or a local folder path.");
        }

        uri = uri.Trim();
        if (uri.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            // Typed locations carry raw keys, as the AWS CLI takes them (s3://b/a b.txt); only a trailing
            // ?versionId= is split off. Keys from manifests are URL-encoded: those go through ResolvePhysicalKey.
            var rest = uri[5..];
            string? versionId = null;
            var query = rest.LastIndexOf(VersionQuery, StringComparison.Ordinal);
            if (query >= 0)
            {
                versionId = Uri.UnescapeDataString(rest[(query + VersionQuery.Length)..]);
                rest = rest[..query];
                if (versionId.Length == 0)
                {
                    throw QuiltException.InvalidInput($"'{uri}' has an empty versionId.", "Give the version after ?versionId=, or leave it out for the latest version.");
                }
            }

            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var bucket = slash < 0 ? rest : rest[..slash];
            var key = slash < 0 ? "" : rest[(slash + 1)..];
            ValidateBucketName(bucket, uri);
            return new ResolvedUri(S3, bucket, key, versionId, uri);
        }

        if (uri.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            var pk = PhysicalKey.Parse(uri);
            return LocalUri(pk.LocalPath!);
        }

        if (uri.Contains("://", StringComparison.Ordinal))
        {
            throw QuiltException.InvalidInput($"Unsupported location '{uri}'.", "Use s3://bucket/prefix, file:///absolute/path or a local path.");
        }

        if (bareNameIsBucket && !uri.Contains('/', StringComparison.Ordinal) && !uri.StartsWith('.') && !uri.StartsWith('~'))
        {
            ValidateBucketName(uri, uri);
            return new ResolvedUri(S3, uri, "", null, "s3://" + uri);
        }

        return LocalUri(uri);

        ResolvedUri LocalUri(string path)
        {
            var full = Path.GetFullPath(path.StartsWith('~') ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~', '/')) : path);
            if (full.Length > 1)
            {
                full = full.TrimEnd('/');
            }

            return new ResolvedUri(Local, full, "", null, PhysicalKey.Local(full).ToString());
        }
    }

    private static void ValidateBucketName(string bucket, string uri)
    {
        if (bucket.Length is < 3 or > 63 || !bucket.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.' or '_'))
        {
            throw QuiltException.InvalidInput(
                $"'{bucket}' in '{uri}' is not a valid S3 bucket name.",
                "Bucket names are 3-63 characters: lowercase letters, digits, '-' and '.'.");
        }
    }
}
