using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Quilt.Catalog;
using Quilt.Core.Errors;
using Quilt.Core.Hashing;
using Quilt.Core.Naming;
using Quilt.Storage;

namespace Quilt.Catalog.Tests.Fakes;

/// <summary>
/// An <see cref="IObjectStore"/> over <see cref="MemoryS3"/> acting for one catalog user: like the real store it asks
/// the user's credentials source for the current set before every request, and S3 judges that set.
/// </summary>
public sealed class MemoryObjectStore : IObjectStore
{
    private readonly MemoryS3 _world;
    private readonly ConcurrentQueue<AwsTemporaryCredentials> _used = new();

    internal MemoryObjectStore(MemoryS3 world, CatalogUserCredentials user)
    {
        _world = world;
        User = user;
    }

    public CatalogUserCredentials User { get; }

    /// <summary>The credentials of every request this store sent, in order.</summary>
    public IReadOnlyList<AwsTemporaryCredentials> Used => [.. _used];

    /// <summary>The one access key this store signed with (fails when it signed as several users, or not at all).</summary>
    public string AccessKeyId => Used.Select(c => c.AccessKeyId).Distinct().Single();

    public string Scheme => "s3";

    public RequestCounter Requests { get; } = new();

    /// <summary>
    /// Keeps the first credentials it got for every later request, as catalog mode once did (one snapshot per operation):
    /// the control that shows what renewal fixes.
    /// </summary>
    public bool KeepFirstCredentials { get; set; }

    /// <summary>Fails every HEAD with this exception when set (fault injection).</summary>
    public Func<ObjectLocation, Exception?>? HeadFault { get; set; }

    public async Task<BucketInfo> GetBucketInfoAsync(string bucket, CancellationToken cancellationToken = default)
    {
        var credentials = await SignAsync("HeadBucket", "s3://" + bucket, cancellationToken);
        var b = _world.Bucket(bucket, credentials.AccessKeyId, out _);
        return new BucketInfo(bucket, b is not null, b?.Versioned ?? false);
    }

    public async IAsyncEnumerable<ObjectSummary> ListAsync(string bucket, string prefix, bool latestVersions = false, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var credentials = await SignAsync(latestVersions ? "ListObjectVersions" : "ListObjectsV2", $"s3://{bucket}/{prefix}", cancellationToken);
        var b = Open(bucket, credentials);
        var objects = _world.Read(() => b.Objects.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(p => p.Value[^1]).ToList());
        foreach (var o in objects)
        {
            await Task.Yield();
            yield return Summary(o, latestVersions);
        }
    }

    public async Task<ObjectListPage> ListPageAsync(string bucket, string prefix, string? delimiter, int maxKeys, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var credentials = await SignAsync("ListObjectsV2", $"s3://{bucket}/{prefix}", cancellationToken);
        var b = Open(bucket, credentials);
        var all = _world.Read(() => b.Objects.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal) && string.CompareOrdinal(p.Key, continuationToken ?? "") > 0).Select(p => p.Value[^1]).ToList());
        var objects = new List<ObjectSummary>();
        var prefixes = new SortedSet<string>(StringComparer.Ordinal);
        string? last = null;
        foreach (var o in all)
        {
            if (objects.Count + prefixes.Count >= maxKeys)
            {
                break;
            }

            last = o.Key;
            var rest = o.Key[prefix.Length..];
            var cut = delimiter is null ? -1 : rest.IndexOf(delimiter, StringComparison.Ordinal);
            if (cut >= 0)
            {
                prefixes.Add(prefix + rest[..(cut + delimiter!.Length)]);
            }
            else
            {
                objects.Add(Summary(o, false));
            }
        }

        var more = last is not null && all[^1].Key != last;
        return new ObjectListPage(objects, prefixes.ToList(), more ? last : null);
    }

    public async Task<ObjectMetadata> HeadAsync(ObjectLocation location, CancellationToken cancellationToken = default)
    {
        var credentials = await SignAsync("HeadObject", Target(location), cancellationToken);
        if (HeadFault?.Invoke(location) is { } fault)
        {
            throw fault;
        }

        var o = Find(location, credentials);
        return Metadata(location.Bucket, o);
    }

    public async Task<byte[]?> TryReadAllBytesAsync(ObjectLocation location, CancellationToken cancellationToken = default)
    {
        var credentials = await SignAsync("GetObject", Target(location), cancellationToken);
        try
        {
            return Find(location, credentials).Content;
        }
        catch (QuiltException e) when (e.Kind == QuiltErrorKind.NotFound)
        {
            return null;
        }
    }

    public async Task<Stream> OpenReadAsync(ObjectLocation location, long offset = 0, long? length = null, CancellationToken cancellationToken = default)
    {
        var credentials = await SignAsync("GetObject", Target(location), cancellationToken);
        var content = Find(location, credentials).Content;
        var count = (int)Math.Min(length ?? long.MaxValue, content.Length - offset);
        return new MemoryStream(content, (int)offset, count, writable: false);
    }

    public async Task<ObjectHashResult> HashAsync(ObjectLocation location, HashingOptions options, CancellationToken cancellationToken = default)
    {
        var credentials = await SignAsync("GetObject", Target(location), cancellationToken);
        var o = Find(location, credentials);
        var hash = ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, o.Content);
        return new ObjectHashResult(hash, o.Content.Length < options.SmallObjectThreshold ? HashStep.SmallObjectGet : HashStep.RangedGet, Metadata(location.Bucket, o));
    }

    public Task<CopyResult> CopyAsync(ObjectLocation source, ObjectLocation destination, CopyOptions options, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Catalog mode never copies through the store.");

    public async Task<ObjectLocation> PutAsync(ObjectLocation destination, ReadOnlyMemory<byte> content, string? contentType = null, CancellationToken cancellationToken = default)
    {
        var credentials = await SignAsync("PutObject", Target(destination), cancellationToken);
        _ = Open(destination.Bucket, credentials);
        var version = _world.Put(destination.Bucket, destination.Key, content.ToArray(), contentType: contentType);
        return destination with { VersionId = version };
    }

    public async Task<WrittenObject> PutAsync(ObjectLocation destination, ReadOnlyMemory<byte> content, PutOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var written = await PutAsync(destination, content, options.ContentType, cancellationToken);
        return new WrittenObject(written, null);
    }

    public Task<DeleteOutcome> DeleteIfMatchAsync(ObjectLocation location, string etag, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Catalog mode never deletes through the store.");

    public IAsyncEnumerable<ObjectVersion> ListVersionsAsync(string bucket, string prefix, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Catalog mode never lists versions through the store.");

    public IAsyncEnumerable<MultipartUpload> ListUploadsAsync(string bucket, string prefix, CancellationToken cancellationToken = default) =>
        AsyncEnumerable.Empty<MultipartUpload>();

    public Task AbortUploadAsync(MultipartUpload upload, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<IReadOnlyList<(ObjectLocation Location, string Error)>> DeleteAsync(IReadOnlyList<ObjectLocation> locations, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Catalog mode never deletes through the store.");

    public string ToPhysicalKey(ObjectLocation location) => PhysicalKey.S3(location.Bucket, location.Key, location.VersionId).ToString();

    public Uri Presign(ObjectLocation location, bool forUpload, TimeSpan expiresIn)
    {
        // Signed locally, as the SDK does: the current credentials, nothing sent.
        var credentials = User.GetAsync().GetAwaiter().GetResult();
        _used.Enqueue(credentials);
        return new($"https://{location.Bucket}.s3.memory/{Uri.EscapeDataString(location.Key)}?X-Amz-Credential={credentials.AccessKeyId}&X-Amz-Expires={(long)expiresIn.TotalSeconds}&method={(forUpload ? "PUT" : "GET")}");
    }

    private static ObjectSummary Summary(MemoryObject o, bool latestVersions) =>
        new(o.Key, o.Content.Length, o.ETag, o.LastModified, latestVersions ? o.VersionId : null, "STANDARD", o.Key.EndsWith('/') && o.Content.Length == 0);

    private static ObjectMetadata Metadata(string bucket, MemoryObject o) => new(
        new ObjectLocation(bucket, o.Key, o.VersionId),
        o.Content.Length,
        o.ETag,
        o.LastModified,
        o.ContentType,
        null,
        o.UserMetadata,
        o.Sha256 is null ? ObjectChecksums.None : new ObjectChecksums(Sha256: o.Sha256, ChecksumType: "FULL_OBJECT"));

    private static string Target(ObjectLocation location) => $"s3://{location.Bucket}/{location.Key}";

    /// <summary>One request: counted, signed with the user's current credentials, judged by S3.</summary>
    private async Task<AwsTemporaryCredentials> SignAsync(string operation, string target, CancellationToken cancellationToken)
    {
        Requests.Add(operation);
        _world.BeforeRequest?.Invoke(operation, User);
        var credentials = KeepFirstCredentials && _used.TryPeek(out var first) ? first : await User.GetAsync(cancellationToken);
        _used.Enqueue(credentials);
        _world.Authenticate(operation, target, credentials);
        return credentials;
    }

    private MemoryBucket Open(string bucket, AwsTemporaryCredentials credentials)
    {
        var b = _world.Bucket(bucket, credentials.AccessKeyId, out var denied);
        if (denied)
        {
            throw QuiltException.AccessDenied($"Access denied to s3://{bucket}.");
        }

        return b ?? throw QuiltException.NotFound($"Bucket s3://{bucket} does not exist.");
    }

    private MemoryObject Find(ObjectLocation location, AwsTemporaryCredentials credentials)
    {
        var b = Open(location.Bucket, credentials);
        return _world.Read(() =>
        {
            if (!b.Objects.TryGetValue(location.Key, out var versions) || versions.Count == 0)
            {
                throw QuiltException.NotFound($"s3://{location.Bucket}/{location.Key} does not exist.");
            }

            return location.VersionId is null
                ? versions[^1]
                : versions.FirstOrDefault(v => v.VersionId == location.VersionId) ?? throw QuiltException.NotFound($"Version {location.VersionId} of s3://{location.Bucket}/{location.Key} does not exist.");
        });
    }
}
