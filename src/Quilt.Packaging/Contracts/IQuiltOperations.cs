using Quilt.Storage;

namespace Quilt.Packaging.Contracts;

/// <summary>
/// Every operation the CLI and the MCP server offer, as one service: both shells call these methods and render
/// the same result records. Direct mode (caller's AWS credentials) and catalog mode (a Quilt catalog token)
/// are two implementations.
/// </summary>
public interface IQuiltOperations
{
    /// <summary>Creates a package from a bucket prefix or folder (plan, validate, transfer and hash, commit; rollback on failure).</summary>
    Task<PackageCreateResult> CreateFromS3Async(CreateFromS3Request request, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Creates a package from explicit object URIs.</summary>
    Task<PackageCreateResult> CreateAsync(CreatePackageRequest request, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Shows a revision (latest when <paramref name="topHash"/> is null; a unique prefix of ≥ 6 characters is accepted).</summary>
    Task<PackageBrowseResult> BrowseAsync(string packageName, StorageLocation registry, string? topHash = null, CancellationToken cancellationToken = default);

    /// <summary>Lists the packages of a registry.</summary>
    Task<PackageListResult> ListPackagesAsync(StorageLocation registry, CancellationToken cancellationToken = default);

    /// <summary>Compares two revisions.</summary>
    Task<PackageDiffResult> DiffAsync(string packageName, StorageLocation registry, string fromTopHash, string toTopHash, CancellationToken cancellationToken = default);

    /// <summary>Verifies a revision: manifest, pointers and every entry's bytes against its hash.</summary>
    Task<PackageVerifyResult> VerifyAsync(string packageName, StorageLocation registry, string? topHash = null, CancellationToken cancellationToken = default);

    /// <summary>One page of a listing of <paramref name="location"/> (a bucket or folder; its key is the prefix).</summary>
    Task<BucketObjectsListResult> ListObjectsAsync(StorageLocation location, string? delimiter = null, int maxKeys = 1000, string? continuationToken = null, CancellationToken cancellationToken = default);

    /// <summary>Metadata and checksums of one object.</summary>
    Task<BucketObjectInfoResult> GetObjectInfoAsync(StorageLocation location, CancellationToken cancellationToken = default);

    /// <summary>A presigned PUT URL for a client-side upload.</summary>
    Task<UploadUrlResult> GetUploadUrlAsync(StorageLocation location, TimeSpan expiresIn, CancellationToken cancellationToken = default);
}
