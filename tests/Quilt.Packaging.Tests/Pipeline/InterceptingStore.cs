using System.Collections.Concurrent;
using Quilt.Storage;

namespace Quilt.Packaging.Tests.Pipeline;

/// <summary>
/// Test double: a real store with hooks around chosen calls, to stage what happens between two steps of a run (another
/// run committing, an answer lost after the write landed) at exactly that point. Every call reaches the real store.
/// </summary>
internal sealed class InterceptingStore(IObjectStore inner) : IObjectStore
{
    private int _copies;

    /// <summary>Runs before the numbered copy (1-based) is sent; may throw to fail it.</summary>
    public Func<int, ObjectLocation, Task>? BeforeCopy { get; set; }

    /// <summary>Runs before a listing of the given bucket and prefix starts.</summary>
    public Func<string, string, Task>? BeforeList { get; set; }

    /// <summary>Runs after a whole-object read returned (a pointer read, for instance).</summary>
    public Func<ObjectLocation, Task>? AfterRead { get; set; }

    /// <summary>Runs before a conditional put is sent; may throw to fail it.</summary>
    public Func<ObjectLocation, PutOptions, Task>? BeforePut { get; set; }

    /// <summary>After a conditional put landed: an exception to throw instead of its answer (the answer was lost), or null.</summary>
    public Func<ObjectLocation, Exception?>? LoseAnswerOfPut { get; set; }

    /// <summary>Every conditional put, with its options, in the order sent.</summary>
    public ConcurrentQueue<(ObjectLocation Location, PutOptions Options)> Puts { get; } = new();

    /// <summary>Copies sent so far.</summary>
    public int Copies => Volatile.Read(ref _copies);

    public string Scheme => inner.Scheme;

    public RequestCounter Requests => inner.Requests;

    public Task<BucketInfo> GetBucketInfoAsync(string bucket, CancellationToken cancellationToken = default) => inner.GetBucketInfoAsync(bucket, cancellationToken);

    public async IAsyncEnumerable<ObjectSummary> ListAsync(string bucket, string prefix, bool latestVersions = false, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (BeforeList is { } hook)
        {
            await hook(bucket, prefix);
        }

        await foreach (var item in inner.ListAsync(bucket, prefix, latestVersions, cancellationToken))
        {
            yield return item;
        }
    }

    public Task<ObjectListPage> ListPageAsync(string bucket, string prefix, string? delimiter, int maxKeys, string? continuationToken, CancellationToken cancellationToken = default) =>
        inner.ListPageAsync(bucket, prefix, delimiter, maxKeys, continuationToken, cancellationToken);

    public Task<ObjectMetadata> HeadAsync(ObjectLocation location, CancellationToken cancellationToken = default) => inner.HeadAsync(location, cancellationToken);

    public async Task<byte[]?> TryReadAllBytesAsync(ObjectLocation location, CancellationToken cancellationToken = default)
    {
        var bytes = await inner.TryReadAllBytesAsync(location, cancellationToken);
        if (AfterRead is { } hook)
        {
            await hook(location);
        }

        return bytes;
    }

    public Task<Stream> OpenReadAsync(ObjectLocation location, long offset = 0, long? length = null, CancellationToken cancellationToken = default) =>
        inner.OpenReadAsync(location, offset, length, cancellationToken);

    public Task<ObjectHashResult> HashAsync(ObjectLocation location, HashingOptions options, CancellationToken cancellationToken = default) =>
        inner.HashAsync(location, options, cancellationToken);

    public async Task<CopyResult> CopyAsync(ObjectLocation source, ObjectLocation destination, CopyOptions options, CancellationToken cancellationToken = default)
    {
        var number = Interlocked.Increment(ref _copies);
        if (BeforeCopy is { } hook)
        {
            await hook(number, destination);
        }

        return await inner.CopyAsync(source, destination, options, cancellationToken);
    }

    public Task<ObjectLocation> PutAsync(ObjectLocation destination, ReadOnlyMemory<byte> content, string? contentType = null, CancellationToken cancellationToken = default) =>
        inner.PutAsync(destination, content, contentType, cancellationToken);

    public async Task<WrittenObject> PutAsync(ObjectLocation destination, ReadOnlyMemory<byte> content, PutOptions options, CancellationToken cancellationToken = default)
    {
        Puts.Enqueue((destination, options));
        if (BeforePut is { } hook)
        {
            await hook(destination, options);
        }

        var written = await inner.PutAsync(destination, content, options, cancellationToken);
        if (LoseAnswerOfPut?.Invoke(destination) is { } lost)
        {
            throw lost;
        }

        return written;
    }

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
