using Microsoft.Extensions.Logging;
using Quilt.Core.Errors;
using Quilt.Core.Hashing;
using Quilt.Core.Manifests;
using Quilt.Core.Naming;
using Quilt.Packaging.Contracts;
using Quilt.Packaging.Recovery;
using Quilt.Packaging.Internal;
using Quilt.Packaging.Pipeline;
using Quilt.Packaging.Registry;
using Quilt.Storage;

namespace Quilt.Packaging;

/// <summary>
/// Direct mode: every operation runs with the caller's own AWS credentials (or on local folders). The CLI and the
/// MCP server both call this class.
/// </summary>
public sealed class DirectQuiltOperations : IQuiltOperations
{
    private readonly StoreProvider _stores;
    private readonly PackagingOptions _options;
    private readonly PackageCreator _creator;
    private readonly OrphanCleaner _cleaner;

    /// <summary>Creates the service over the given stores.</summary>
    public DirectQuiltOperations(StoreProvider stores, PackagingOptions? options = null, ILogger? logger = null)
    {
        _stores = stores;
        _options = options ?? new PackagingOptions();
        _creator = new PackageCreator(stores, _options, logger);
        _cleaner = new OrphanCleaner(stores, _options, logger);
    }

    /// <summary>Removes what interrupted (killed) runs against <paramref name="registry"/> left, from their journals.</summary>
    public Task<CleanupResult> CleanupAsync(StorageLocation registry, CancellationToken cancellationToken = default) =>
        _cleaner.CleanupAsync(registry, null, cancellationToken);

    /// <inheritdoc />
    public Task<PackageCreateResult> CreateFromS3Async(CreateFromS3Request request, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default) =>
        _creator.CreateFromSourceAsync(request, progress, cancellationToken);

    /// <inheritdoc />
    public Task<PackageCreateResult> CreateAsync(CreatePackageRequest request, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default) =>
        _creator.CreateFromFilesAsync(request, progress, cancellationToken);

    /// <inheritdoc />
    public async Task<PackageBrowseResult> BrowseAsync(string packageName, StorageLocation registry, string? topHash = null, CancellationToken cancellationToken = default)
    {
        var name = PackageName.Parse(packageName);
        var reg = OpenRegistry(registry);
        var hash = await reg.ResolveTopHashAsync(name, topHash, cancellationToken).ConfigureAwait(false);
        var manifest = await reg.ReadManifestAsync(hash, cancellationToken).ConfigureAwait(false);
        var entries = manifest.Entries
            .Select(e => new PackageEntryView(e.LogicalKey, e.PhysicalKey, e.Size, e.Hash.Type, e.Hash.Value, e.Meta))
            .ToList();
        return new PackageBrowseResult(name.ToString(), reg.Uri, hash, manifest.Message, manifest.UserMeta, entries.Sum(e => e.Size), entries);
    }

    /// <inheritdoc />
    public async Task<PackageListResult> ListPackagesAsync(StorageLocation registry, CancellationToken cancellationToken = default)
    {
        var reg = OpenRegistry(registry);
        var packages = await reg.ListPackagesAsync(cancellationToken).ConfigureAwait(false);
        return new PackageListResult(reg.Uri, packages);
    }

    /// <inheritdoc />
    public async Task<PackageDiffResult> DiffAsync(string packageName, StorageLocation registry, string fromTopHash, string toTopHash, CancellationToken cancellationToken = default)
    {
        var name = PackageName.Parse(packageName);
        var reg = OpenRegistry(registry);
        var fromHash = await reg.ResolveTopHashAsync(name, fromTopHash, cancellationToken).ConfigureAwait(false);
        var toHash = await reg.ResolveTopHashAsync(name, toTopHash, cancellationToken).ConfigureAwait(false);
        var from = await reg.ReadManifestAsync(fromHash, cancellationToken).ConfigureAwait(false);
        var to = await reg.ReadManifestAsync(toHash, cancellationToken).ConfigureAwait(false);
        var a = from.Entries.ToDictionary(e => e.LogicalKey, StringComparer.Ordinal);
        var b = to.Entries.ToDictionary(e => e.LogicalKey, StringComparer.Ordinal);
        var added = b.Keys.Where(k => !a.ContainsKey(k)).Order(LogicalKeyComparer.Instance).ToList();
        var removed = a.Keys.Where(k => !b.ContainsKey(k)).Order(LogicalKeyComparer.Instance).ToList();
        var modified = a.Keys.Where(k => b.TryGetValue(k, out var other) && (other.Size != a[k].Size || other.Hash != a[k].Hash || !other.Meta.Equals(a[k].Meta)))
            .Order(LogicalKeyComparer.Instance).ToList();
        var metaChanged = !Equals(from.UserMeta, to.UserMeta) || from.Message != to.Message;
        return new PackageDiffResult(name.ToString(), fromHash, toHash, added, removed, modified, metaChanged);
    }

    /// <inheritdoc />
    public async Task<PackageVerifyResult> VerifyAsync(string packageName, StorageLocation registry, string? topHash = null, CancellationToken cancellationToken = default)
    {
        var name = PackageName.Parse(packageName);
        var reg = OpenRegistry(registry);
        var hash = await reg.ResolveTopHashAsync(name, topHash, cancellationToken).ConfigureAwait(false);
        var problems = new List<string>();
        Manifest manifest;
        try
        {
            manifest = await reg.ReadManifestAsync(hash, cancellationToken).ConfigureAwait(false);
        }
        catch (QuiltException e) when (e.Kind is QuiltErrorKind.Integrity or QuiltErrorKind.NotFound)
        {
            return new PackageVerifyResult(name.ToString(), hash, false, 0, [e.Message]);
        }

        var checkedCount = 0L;
        var gate = new Lock();
        await Parallel.ForEachAsync(manifest.Entries, new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(_options.Concurrency, 1, 16), CancellationToken = cancellationToken }, async (entry, token) =>
        {
            var problem = await VerifyEntryAsync(entry, token).ConfigureAwait(false);
            lock (gate)
            {
                checkedCount++;
                if (problem is not null)
                {
                    problems.Add(problem);
                }
            }
        }).ConfigureAwait(false);
        problems.Sort(StringComparer.Ordinal);
        return new PackageVerifyResult(name.ToString(), hash, problems.Count == 0, checkedCount, problems);
    }

    /// <inheritdoc />
    public async Task<BucketObjectsListResult> ListObjectsAsync(StorageLocation location, string? delimiter = null, int maxKeys = 1000, string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (maxKeys is < 1 or > 1000)
        {
            throw QuiltException.InvalidInput(QuiltErrorReason.OutOfRange, QuiltInputField.MaxKeys, $"The page size must be between 1 and 1000, not {maxKeys}.");
        }

        var page = await _stores.For(location).ListPageAsync(location.Bucket, location.Key, string.IsNullOrEmpty(delimiter) ? null : delimiter, maxKeys, continuationToken, cancellationToken).ConfigureAwait(false);
        return new BucketObjectsListResult(
            location.IsS3 ? location.Bucket : location.WithKey("").ToString(),
            location.Key,
            page.Objects.Select(View).ToList(),
            page.CommonPrefixes,
            page.NextContinuationToken,
            page.NextContinuationToken is not null);
    }

    /// <summary>The whole listing under a URI (the CLI's <c>ls --recursive</c>), page after page.</summary>
    public async IAsyncEnumerable<BucketObjectView> ListAllObjectsAsync(StorageLocation location, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(location);
        await foreach (var obj in _stores.For(location).ListAsync(location.Bucket, location.Key, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return View(obj);
        }
    }

    /// <inheritdoc />
    public async Task<BucketObjectInfoResult> GetObjectInfoAsync(StorageLocation location, CancellationToken cancellationToken = default)
    {
        var resolved = ResolveObject(location);
        var head = await resolved.Store.HeadAsync(resolved.Location, cancellationToken).ConfigureAwait(false);
        var checksums = new SortedDictionary<string, string>(StringComparer.Ordinal);
        AddChecksum("SHA256", head.Checksums.Sha256);
        AddChecksum("CRC64NVME", head.Checksums.Crc64Nvme);
        AddChecksum("CRC32", head.Checksums.Crc32);
        AddChecksum("CRC32C", head.Checksums.Crc32C);
        AddChecksum("SHA1", head.Checksums.Sha1);
        if (head.Checksums.ChecksumType is not null && checksums.Count > 0)
        {
            checksums["type"] = head.Checksums.ChecksumType;
        }

        return new BucketObjectInfoResult(
            resolved.Store.ToPhysicalKey(head.Location), head.Size, head.ContentType, head.ETag, head.LastModified,
            head.Location.VersionId, head.StorageClass, head.UserMetadata, checksums);

        void AddChecksum(string name, string? value)
        {
            if (value is not null)
            {
                checksums[name] = value;
            }
        }
    }

    /// <summary>An object's quilt hash by the ladder, and the step and requests it took (<c>quilt-mcp hash</c>).</summary>
    public async Task<ObjectHashView> HashObjectAsync(StorageLocation location, string hashType = QuiltHashTypes.Sha256Chunked, CancellationToken cancellationToken = default)
    {
        var resolved = ResolveObject(location);
        var before = _stores.SnapshotRequests();
        ObjectMetadata metadata;
        QuiltHash hash;
        string step;
        if (hashType == QuiltHashTypes.Sha256Chunked)
        {
            var result = await resolved.Store.HashAsync(resolved.Location, new HashingOptions { SmallObjectThreshold = _options.SmallObjectThreshold }, cancellationToken).ConfigureAwait(false);
            (metadata, hash, step) = (result.Metadata, result.Hash, result.Step.ToString());
        }
        else
        {
            metadata = await resolved.Store.HeadAsync(resolved.Location, cancellationToken).ConfigureAwait(false);
            var stream = await resolved.Store.OpenReadAsync(metadata.Location, 0, null, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                hash = await ObjectHasher.ComputeAsync(hashType, stream, metadata.Size, cancellationToken).ConfigureAwait(false);
            }

            step = "FullRead";
        }

        var after = _stores.SnapshotRequests();
        var ops = after.Select(p => (p.Key, N: p.Value - before.GetValueOrDefault(p.Key))).Where(p => p.N > 0).ToDictionary(p => p.Key, p => p.N, StringComparer.Ordinal);
        return new ObjectHashView(resolved.Store.ToPhysicalKey(metadata.Location), metadata.Size, hash.Type, hash.Value, step, new RequestCounts(ops.Values.Sum(), ops));
    }

    /// <inheritdoc />
    public Task<UploadUrlResult> GetUploadUrlAsync(StorageLocation location, TimeSpan expiresIn, CancellationToken cancellationToken = default)
    {
        var resolved = ResolveObject(location);
        if (!resolved.IsS3)
        {
            throw QuiltException.InvalidInput("Upload URLs exist only for S3 objects.", "Pass s3://bucket/key.");
        }

        if (expiresIn <= TimeSpan.Zero || expiresIn > TimeSpan.FromDays(7))
        {
            throw QuiltException.InvalidInput(QuiltErrorReason.OutOfRange, QuiltInputField.ExpiresIn, "The expiry must be between 1 second and 7 days.");
        }

        var url = resolved.Store.Presign(resolved.Location, forUpload: true, expiresIn);
        return Task.FromResult(new UploadUrlResult(resolved.Store.ToPhysicalKey(resolved.Location), url.ToString(), _options.Clock.GetUtcNow() + expiresIn, "PUT"));
    }

    private static BucketObjectView View(ObjectSummary o) => new(o.Key, o.Size, o.LastModified, o.ETag, o.VersionId, o.StorageClass, o.IsFolderMarker);

    private (IObjectStore Store, ObjectLocation Location, bool IsS3) ResolveObject(StorageLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return (_stores.For(location), location.ToObject(), location.IsS3);
    }

    private PackageRegistry OpenRegistry(StorageLocation registry) => _stores.OpenRegistry(registry);

    private async Task<string?> VerifyEntryAsync(ManifestEntry entry, CancellationToken cancellationToken)
    {
        (IObjectStore Store, ObjectLocation Location) location;
        try
        {
            location = _stores.ResolvePhysicalKey(entry.PhysicalKey);
        }
        catch (QuiltException e)
        {
            return $"{entry.LogicalKey}: bad physical key {entry.PhysicalKey}: {e.Message}";
        }

        try
        {
            var head = await location.Store.HeadAsync(location.Location, cancellationToken).ConfigureAwait(false);
            if (head.Size != entry.Size)
            {
                return $"{entry.LogicalKey}: size is {head.Size}, manifest says {entry.Size}";
            }

            var stream = await location.Store.OpenReadAsync(head.Location, 0, null, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var actual = await ObjectHasher.ComputeAsync(entry.Hash.Type, stream, head.Size, cancellationToken).ConfigureAwait(false);
                return actual.Value == entry.Hash.Value ? null : $"{entry.LogicalKey}: {entry.Hash.Type} is {actual.Value}, manifest says {entry.Hash.Value}";
            }
        }
        catch (QuiltException e) when (e.Kind is QuiltErrorKind.NotFound or QuiltErrorKind.Unsupported or QuiltErrorKind.Integrity)
        {
            return $"{entry.LogicalKey}: {e.Message}";
        }
    }
}
