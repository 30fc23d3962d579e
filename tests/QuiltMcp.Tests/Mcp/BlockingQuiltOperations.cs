using Quilt.Packaging.Contracts;

namespace QuiltMcp.Tests.Mcp;

/// <summary>
/// Operations whose package creation reports progress and then runs until it is cancelled, so a test can see whether
/// the server cancelled the tool's token; listing packages answers at once.
/// </summary>
internal sealed class BlockingQuiltOperations : IQuiltOperations
{
    private int _creations;

    /// <summary>Completed when a creation has started (and reported progress).</summary>
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed when a creation's token fired.</summary>
    public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creations started so far.</summary>
    public int Creations => Volatile.Read(ref _creations);

    public async Task<PackageCreateResult> CreateFromS3Async(CreateFromS3Request request, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _creations);
        progress?.Report(new ProgressUpdate("listing", 1, null, 10, null));
        Started.TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Cancelled.TrySetResult();
            throw;
        }

        throw new InvalidOperationException("unreachable");
    }

    public Task<PackageListResult> ListPackagesAsync(StorageLocation registry, CancellationToken cancellationToken = default) =>
        Task.FromResult(new PackageListResult(registry.ToString(), [new PackageSummary("team/data", null, 1, null)]));

    public Task<PackageCreateResult> CreateAsync(CreatePackageRequest request, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<PackageBrowseResult> BrowseAsync(string packageName, StorageLocation registry, string? topHash = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<PackageDiffResult> DiffAsync(string packageName, StorageLocation registry, string fromTopHash, string toTopHash, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<PackageVerifyResult> VerifyAsync(string packageName, StorageLocation registry, string? topHash = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<BucketObjectsListResult> ListObjectsAsync(StorageLocation location, string? delimiter = null, int maxKeys = 1000, string? continuationToken = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<BucketObjectInfoResult> GetObjectInfoAsync(StorageLocation location, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<UploadUrlResult> GetUploadUrlAsync(StorageLocation location, TimeSpan expiresIn, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
