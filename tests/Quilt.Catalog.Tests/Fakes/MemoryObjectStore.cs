using System.Runtime.CompilerServices;
using Quilt.Catalog;
using Quilt.Core.Errors;
using Quilt.Core.Hashing;
using Quilt.Core.Naming;
using Quilt.Storage;

namespace Quilt.Catalog.Tests.Fakes;

/// <summary>An <see cref="IObjectStore"/> over <see cref="MemoryS3"/> acting with one set of temporary credentials.</summary>
public sealed class MemoryObjectStore : IObjectStore
{
    private readonly MemoryS3 _world;

    internal MemoryObjectStore(MemoryS3 world, AwsTemporaryCredentials credentials)
    {
        _world = world;
        Credentials = credentials;
    }

    public AwsTemporaryCredentials Credentials { get; }

    public string Scheme => "s3";

    public RequestCounter Requests { get; } = new();

    /// <summary>Fails every HEAD with this exception when set (fault injection).</summary>
    public Func<ObjectLocation, Exception?>? HeadFault { get; set; }

    public Task<BucketInfo> GetBucketInfoAsync(string bucket, CancellationToken cancellationToken = default)
    {
        Requests.Add("HeadBucket");
        var b = _world.Bucket(bucket, Credentials.AccessKeyId, out _);
        return Task.FromResult(new BucketInfo(bucket, b is not null, b?.Versioned ?? false));
    }

    public async IAsyncEnumerable<ObjectSummary> ListAsync(string bucket, string prefix, bool latestVersions = false, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Requests.Add(latestVersions ? "ListObjectVersions" : "ListObjectsV2");
        var b = Open(bucket);
        var objects = _world.Read(() => b.Objects.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(p => p.Value[^1]).ToList());
        foreach (var o in objects)
        {
            await Task.Yield();
            yield return Summary(o, latestVersions);
        }
    }

    public Task<ObjectListPage> ListPageAsync(string bucket, string prefix, string? delimiter, int maxKeys, string? continuationToken, CancellationToken cancellationToken = default)
    {
        Requests.Add("ListObjectsV2");
        var b = Open(bucket);
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
        return Task.FromResult(new ObjectListPage(objects, prefixes.ToList(), more ? last : null));
    }

    public Task<ObjectMetadata> HeadAsync(ObjectLocation location, CancellationToken cancellationToken = default)
    {
        Requests.Add("HeadObject");
        if (HeadFault?.Invoke(location) is { } fault)
        {
            throw fault;
        }

        var o = Find(location);
        return Task.FromResult(Metadata(location.Bucket, o));
    }

    public Task<byte[]?> TryReadAllBytesAsync(ObjectLocation location, CancellationToken cancellationToken = default)
    {
        Requests.Add("GetObject");
        try
        {
            return Task.FromResult<byte[]?>(Find(location).Content);
        }
        catch (QuiltException e) when (e.Kind == QuiltErrorKind.NotFound)
        {
            return Task.FromResult<byte[]?>(null);
        }
    }

    public Task<Stream> OpenReadAsync(ObjectLocation location, long offset = 0, long? length = null, CancellationToken cancellationToken = default)
    {
        Requests.Add("GetObject");
        var content = Find(location).Content;
        var count = (int)Math.Min(length ?? long.MaxValue, content.Length - offset);
        return Task.FromResult<Stream>(new MemoryStream(content, (int)offset, count, writable: false));
    }

    public Task<ObjectHashResult> HashAsync(ObjectLocation location, HashingOptions options, CancellationToken cancellationToken = default)
    {
        Requests.Add("GetObject");
        var o = Find(location);
        var hash = ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, o.Content);
        return Task.FromResult(new ObjectHashResult(hash, o.Content.Length < options.SmallObjectThreshold ? HashStep.SmallObjectGet : HashStep.RangedGet, Metadata(location.Bucket, o)));
    }

    public Task<CopyResult> CopyAsync(ObjectLocation source, ObjectLocation destination, CopyOptions options, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Catalog mode never copies through the store.");

    public Task<ObjectLocation> PutAsync(ObjectLocation destination, ReadOnlyMemory<byte> content, string? contentType = null, CancellationToken cancellationToken = default)
    {
        Requests.Add("PutObject");
        _ = Open(destination.Bucket);
        var version = _world.Put(destination.Bucket, destination.Key, content.ToArray(), contentType: contentType);
        return Task.FromResult(destination with { VersionId = version });
    }

    public Task<IReadOnlyList<(ObjectLocation Location, string Error)>> DeleteAsync(IReadOnlyList<ObjectLocation> locations, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Catalog mode never deletes through the store.");

    public string ToPhysicalKey(ObjectLocation location) => PhysicalKey.S3(location.Bucket, location.Key, location.VersionId).ToString();

    public Uri Presign(ObjectLocation location, bool forUpload, TimeSpan expiresIn) =>
        new($"https://{location.Bucket}.s3.memory/{Uri.EscapeDataString(location.Key)}?X-Amz-Credential={Credentials.AccessKeyId}&X-Amz-Expires={(long)expiresIn.TotalSeconds}&method={(forUpload ? "PUT" : "GET")}");

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

    private MemoryBucket Open(string bucket)
    {
        var b = _world.Bucket(bucket, Credentials.AccessKeyId, out var denied);
        if (denied)
        {
            throw QuiltException.AccessDenied($"Access denied to s3://{bucket}.");
        }

        return b ?? throw QuiltException.NotFound($"Bucket s3://{bucket} does not exist.");
    }

    private MemoryObject Find(ObjectLocation location)
    {
        var b = Open(location.Bucket);
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
