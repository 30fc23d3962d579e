using Quilt.Core.Errors;
using Quilt.Storage;

namespace Quilt.Catalog.Internal;

/// <summary>
/// Stands in for the local-folder store in catalog mode: a catalog user acts on S3 through their temporary
/// credentials and must never reach the server's own file system, so every local location is refused.
/// </summary>
internal sealed class DeniedLocalStore : IObjectStore
{
    public static readonly DeniedLocalStore Instance = new();

    public string Scheme => "file";

    public RequestCounter Requests { get; } = new();

    public static QuiltException Refusal() => new(
        QuiltErrorKind.Unsupported,
        QuiltErrorReason.LocalLocationRefused,
        QuiltInputField.None,
        "Catalog mode works on S3 locations only; local files and folders are not available.",
        "Pass s3://bucket/key URIs, or run in direct mode to use local folders.");

    public Task<BucketInfo> GetBucketInfoAsync(string bucket, CancellationToken cancellationToken = default) => throw Refusal();

    public IAsyncEnumerable<ObjectSummary> ListAsync(string bucket, string prefix, bool latestVersions = false, CancellationToken cancellationToken = default) => throw Refusal();

    public Task<ObjectListPage> ListPageAsync(string bucket, string prefix, string? delimiter, int maxKeys, string? continuationToken, CancellationToken cancellationToken = default) => throw Refusal();

    public Task<ObjectMetadata> HeadAsync(ObjectLocation location, CancellationToken cancellationToken = default) => throw Refusal();

    public Task<byte[]?> TryReadAllBytesAsync(ObjectLocation location, CancellationToken cancellationToken = default) => throw Refusal();

    public Task<Stream> OpenReadAsync(ObjectLocation location, long offset = 0, long? length = null, CancellationToken cancellationToken = default) => throw Refusal();

    public Task<ObjectHashResult> HashAsync(ObjectLocation location, HashingOptions options, CancellationToken cancellationToken = default) => throw Refusal();

    public Task<CopyResult> CopyAsync(ObjectLocation source, ObjectLocation destination, CopyOptions options, CancellationToken cancellationToken = default) => throw Refusal();

    public Task<ObjectLocation> PutAsync(ObjectLocation destination, ReadOnlyMemory<byte> content, string? contentType = null, CancellationToken cancellationToken = default) => throw Refusal();

    public Task<WrittenObject> PutAsync(ObjectLocation destination, ReadOnlyMemory<byte> content, PutOptions options, CancellationToken cancellationToken = default) => throw Refusal();

    public Task<DeleteOutcome> DeleteIfMatchAsync(ObjectLocation location, string etag, CancellationToken cancellationToken = default) => throw Refusal();

    public IAsyncEnumerable<ObjectVersion> ListVersionsAsync(string bucket, string prefix, CancellationToken cancellationToken = default) => throw Refusal();

    public IAsyncEnumerable<MultipartUpload> ListUploadsAsync(string bucket, string prefix, CancellationToken cancellationToken = default) => throw Refusal();

    public Task AbortUploadAsync(MultipartUpload upload, CancellationToken cancellationToken = default) => throw Refusal();

    public Task<IReadOnlyList<(ObjectLocation Location, string Error)>> DeleteAsync(IReadOnlyList<ObjectLocation> locations, CancellationToken cancellationToken = default) => throw Refusal();

    public string ToPhysicalKey(ObjectLocation location) => throw Refusal();

    public Uri Presign(ObjectLocation location, bool forUpload, TimeSpan expiresIn) => throw Refusal();
}
