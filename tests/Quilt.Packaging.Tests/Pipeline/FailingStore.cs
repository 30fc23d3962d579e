using Quilt.Core.Errors;
using Quilt.Storage;

namespace Quilt.Packaging.Tests.Pipeline;

/// <summary>
/// Test double: a real store with one failure injected (the Nth copy, or a put to a key ending in a suffix), to prove
/// that the pipeline rolls back a run that fails half-way.
/// </summary>
internal sealed class FailingStore(IObjectStore inner, int failOnCopyNumber = int.MaxValue, string? failOnPutKeySuffix = null) : IObjectStore
{
    private int _copies;

    public string Scheme => inner.Scheme;

    public RequestCounter Requests => inner.Requests;

    public Task<BucketInfo> GetBucketInfoAsync(string bucket, CancellationToken cancellationToken = default) => inner.GetBucketInfoAsync(bucket, cancellationToken);

    public IAsyncEnumerable<ObjectSummary> ListAsync(string bucket, string prefix, bool latestVersions = false, CancellationToken cancellationToken = default) =>
        inner.ListAsync(bucket, prefix, latestVersions, cancellationToken);

    public Task<ObjectListPage> ListPageAsync(string bucket, string prefix, string? delimiter, int maxKeys, string? continuationToken, CancellationToken cancellationToken = default) =>
        inner.ListPageAsync(bucket, prefix, delimiter, maxKeys, continuationToken, cancellationToken);

    public Task<ObjectMetadata> HeadAsync(ObjectLocation location, CancellationToken cancellationToken = default) => inner.HeadAsync(location, cancellationToken);

    public Task<byte[]?> TryReadAllBytesAsync(ObjectLocation location, CancellationToken cancellationToken = default) => inner.TryReadAllBytesAsync(location, cancellationToken);

    public Task<Stream> OpenReadAsync(ObjectLocation location, long offset = 0, long? length = null, CancellationToken cancellationToken = default) =>
        inner.OpenReadAsync(location, offset, length, cancellationToken);

    public Task<ObjectHashResult> HashAsync(ObjectLocation location, HashingOptions options, CancellationToken cancellationToken = default) =>
        inner.HashAsync(location, options, cancellationToken);

    public Task<CopyResult> CopyAsync(ObjectLocation source, ObjectLocation destination, CopyOptions options, CancellationToken cancellationToken = default) =>
        Interlocked.Increment(ref _copies) == failOnCopyNumber
            ? throw QuiltException.Transient($"injected failure copying {source.Key}")
            : inner.CopyAsync(source, destination, options, cancellationToken);

    public Task<ObjectLocation> PutAsync(ObjectLocation destination, ReadOnlyMemory<byte> content, string? contentType = null, CancellationToken cancellationToken = default) =>
        failOnPutKeySuffix is not null && destination.Key.EndsWith(failOnPutKeySuffix, StringComparison.Ordinal)
            ? throw QuiltException.Transient($"injected failure writing {destination.Key}")
            : inner.PutAsync(destination, content, contentType, cancellationToken);

    public Task<WrittenObject> PutAsync(ObjectLocation destination, ReadOnlyMemory<byte> content, PutOptions options, CancellationToken cancellationToken = default) =>
        failOnPutKeySuffix is not null && destination.Key.EndsWith(failOnPutKeySuffix, StringComparison.Ordinal)
            ? throw QuiltException.Transient($"injected failure writing {destination.Key}")
            : inner.PutAsync(destination, content, options, cancellationToken);

    public Task<DeleteOutcome> DeleteIfMatchAsync(ObjectLocation location, string etag, CancellationToken cancellationToken = default) =>
        inner.DeleteIfMatchAsync(location, etag, cancellationToken);

    public IAsyncEnumerable<ObjectVersion> ListVersionsAsync(string bucket, string prefix, CancellationToken cancellationToken = default) =>
        inner.ListVersionsAsync(bucket, prefix, cancellationToken);

    public IAsyncEnumerable<MultipartUpload> ListUploadsAsync(string bucket, string prefix, CancellationToken cancellationToken = default) =>
        inner.ListUploadsAsync(bucket, prefix, cancellationToken);

    public Task AbortUploadAsync(MultipartUpload upload, CancellationToken cancellationToken = default) => inner.AbortUploadAsync(upload, cancellationToken);

    public Task<IReadOnlyList<(ObjectLocation Location, string Error)>> DeleteAsync(IReadOnlyList<ObjectLocation> locations, CancellationToken cancellationToken = default) =>
        inner.DeleteAsync(locations, cancellationToken);

    public string ToPhysicalKey(ObjectLocation location) => inner.ToPhysicalKey(location);

    public Uri Presign(ObjectLocation location, bool forUpload, TimeSpan expiresIn) => inner.Presign(location, forUpload, expiresIn);
}
