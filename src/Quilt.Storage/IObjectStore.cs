namespace Quilt.Storage;

/// <summary>
/// One interface over S3 (and S3-compatible servers) and local folders, so that registries and the packaging
/// pipeline are written once. Implementations bound their own concurrency, retry transient failures, count
/// their requests and throw <see cref="Quilt.Core.Errors.QuiltException"/> with a kind a caller can act on.
/// </summary>
public interface IObjectStore
{
    /// <summary><c>s3</c> or <c>file</c>: the URI scheme of the locations this store serves.</summary>
    string Scheme { get; }

    /// <summary>Requests made so far, by operation.</summary>
    RequestCounter Requests { get; }

    /// <summary>Whether the bucket exists and whether it is versioned.</summary>
    Task<BucketInfo> GetBucketInfoAsync(string bucket, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists every object under <paramref name="prefix"/>, page by page. With <paramref name="latestVersions"/>,
    /// lists versions and yields only the latest of each key (delete markers hide a key), with its version id.
    /// </summary>
    IAsyncEnumerable<ObjectSummary> ListAsync(string bucket, string prefix, bool latestVersions = false, CancellationToken cancellationToken = default);

    /// <summary>One page of a listing, for callers that page by hand.</summary>
    Task<ObjectListPage> ListPageAsync(string bucket, string prefix, string? delimiter, int maxKeys, string? continuationToken, CancellationToken cancellationToken = default);

    /// <summary>Metadata and stored checksums of one object.</summary>
    Task<ObjectMetadata> HeadAsync(ObjectLocation location, CancellationToken cancellationToken = default);

    /// <summary>The whole content of a small object (manifests, pointers, configs); null when it does not exist.</summary>
    Task<byte[]?> TryReadAllBytesAsync(ObjectLocation location, CancellationToken cancellationToken = default);

    /// <summary>A stream over the object's content (or a range of it), read as it is consumed.</summary>
    Task<Stream> OpenReadAsync(ObjectLocation location, long offset = 0, long? length = null, CancellationToken cancellationToken = default);

    /// <summary>The object's quilt hash and metadata, obtained with the fewest requests the store allows.</summary>
    Task<ObjectHashResult> HashAsync(ObjectLocation location, HashingOptions options, CancellationToken cancellationToken = default);

    /// <summary>Copies server-side within this store, keeping metadata and content type, requesting SHA-256 checksums.</summary>
    Task<CopyResult> CopyAsync(ObjectLocation source, ObjectLocation destination, CopyOptions options, CancellationToken cancellationToken = default);

    /// <summary>Writes an object; returns its location with the new version id, if any.</summary>
    Task<ObjectLocation> PutAsync(ObjectLocation destination, ReadOnlyMemory<byte> content, string? contentType = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes an object under conditions (create-only, or replace-only-while-unchanged) and returns where it landed with
    /// its ETag. A refused condition is a <see cref="Quilt.Core.Errors.QuiltErrorKind.Conflict"/> and writes nothing.
    /// </summary>
    Task<WrittenObject> PutAsync(ObjectLocation destination, ReadOnlyMemory<byte> content, PutOptions options, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the current object at <paramref name="location"/>'s key only while it still has <paramref name="etag"/>:
    /// a rollback in an unversioned bucket must never remove what another writer put there since.
    /// </summary>
    Task<DeleteOutcome> DeleteIfMatchAsync(ObjectLocation location, string etag, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every version and delete marker under <paramref name="prefix"/> (a store or bucket without versions lists its current
    /// objects, with null version ids), so that a caller can prove what a run left behind.
    /// </summary>
    IAsyncEnumerable<ObjectVersion> ListVersionsAsync(string bucket, string prefix, CancellationToken cancellationToken = default);

    /// <summary>Multipart uploads still open under <paramref name="prefix"/> (none for stores without multipart uploads).</summary>
    IAsyncEnumerable<MultipartUpload> ListUploadsAsync(string bucket, string prefix, CancellationToken cancellationToken = default);

    /// <summary>Aborts a multipart upload; one already completed or aborted is not an error.</summary>
    Task AbortUploadAsync(MultipartUpload upload, CancellationToken cancellationToken = default);

    /// <summary>Deletes objects (by version where given); returns the ones that could not be deleted, with the reason.</summary>
    Task<IReadOnlyList<(ObjectLocation Location, string Error)>> DeleteAsync(IReadOnlyList<ObjectLocation> locations, CancellationToken cancellationToken = default);

    /// <summary>The physical key for a manifest: <c>s3://bucket/key?versionId=…</c> or <c>file:///path</c>.</summary>
    string ToPhysicalKey(ObjectLocation location);

    /// <summary>A presigned URL for a client to GET or PUT the object itself.</summary>
    Uri Presign(ObjectLocation location, bool forUpload, TimeSpan expiresIn);
}
