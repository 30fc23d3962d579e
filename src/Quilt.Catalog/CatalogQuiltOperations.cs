using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Quilt.Catalog.Internal;
using Quilt.Core.Errors;
using Quilt.Core.Hashing;
using Quilt.Core.Manifests;
using Quilt.Core.Naming;
using Quilt.Core.Selection;
using Quilt.Packaging;
using Quilt.Packaging.Contracts;
using Quilt.Packaging.Pipeline;
using Quilt.Packaging.Registry;
using Quilt.Storage;

namespace Quilt.Catalog;

/// <summary>
/// Catalog (JWT) mode for one catalog user: packages are made through the registry's GraphQL API
/// (<c>packageConstruct</c>, then <c>packagePromote</c> when data must be copied into the registry bucket), and S3 is
/// read with the temporary credentials the registry hands to that user. Planning (listing, version pinning, globs,
/// logical keys) is the very code direct mode uses, and the results are the same records. The token is never logged
/// nor put into a message.
/// </summary>
public sealed partial class CatalogQuiltOperations : IQuiltOperations
{
    private readonly CatalogConnection _connection;
    private readonly string? _token;
    private readonly ILogger _logger;

    /// <summary>Creates the operations for the holder of <paramref name="bearerToken"/> (a blank token fails every call with AccessDenied).</summary>
    public CatalogQuiltOperations(CatalogConnection connection, string? bearerToken, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _token = string.IsNullOrWhiteSpace(bearerToken) ? null : bearerToken.Trim();
        _logger = logger ?? NullLogger.Instance;
    }

    private CatalogOptions Options => _connection.Options;

    /// <inheritdoc />
    public Task<PackageCreateResult> CreateFromS3Async(CreateFromS3Request request, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default) =>
        ForCatalogUserAsync(CreateFromS3CoreAsync(request, progress, cancellationToken));

    /// <inheritdoc />
    public Task<PackageCreateResult> CreateAsync(CreatePackageRequest request, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default) =>
        ForCatalogUserAsync(CreateCoreAsync(request, progress, cancellationToken));

    private async Task<PackageCreateResult> CreateFromS3CoreAsync(CreateFromS3Request request, IProgress<ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clock = Stopwatch.StartNew();
        var target = CatalogTarget.Prepare(request.PackageName, request.TargetRegistry, request.Metadata, request.Message, request.Description, request.Workflow, Options.MaxMetadataBytes);
        var source = CatalogLocations.Prefix(request.Source);
        var (sourceBucket, prefix) = (source.Bucket, source.Key);
        var copy = request.Copy switch
        {
            CopyMode.All => true,
            CopyMode.Auto => !string.Equals(sourceBucket, target.Bucket, StringComparison.Ordinal),
            _ => false,
        };
        CheckTargetBucket(request.TargetBucket, target, copy);

        var client = await ClientAsync(cancellationToken).ConfigureAwait(false);
        var store = await StoreAsync(cancellationToken).ConfigureAwait(false);
        var before = store.Requests.Snapshot();
        var info = await store.GetBucketInfoAsync(sourceBucket, cancellationToken).ConfigureAwait(false);
        if (!info.Exists)
        {
            throw QuiltException.NotFound(
                $"The source bucket s3://{sourceBucket} does not exist or the catalog user cannot read it.",
                "Check the bucket name, and ask a catalog admin for access to it.");
        }

        var planWarnings = new List<string>();
        copy = copy && await CanCopyIntoRegistryAsync(store, target, request.Copy, planWarnings, cancellationToken).ConfigureAwait(false);
        var latest = (await client.GetPackageAsync(target.Bucket, target.Name.ToString(), cancellationToken).ConfigureAwait(false))?.LatestTopHash;
        var (selected, skipped) = await SourceSelection.SelectAsync(
            store, sourceBucket, prefix, info.IsVersioned, request.IncludePatterns, request.ExcludePatterns,
            request.PreserveStructure, source.ToString(), progress, cancellationToken).ConfigureAwait(false);
        var items = selected.Select(o => new CatalogPlanItem(o.Location, o.LogicalKey, o.Size, o.ETag)).ToList();
        var plan = new CatalogPlan(target, store, items, copy, request.PreserveMetadata, HeadAlways: false, skipped, latest, request.Force, planWarnings);
        return await RunAsync(client, plan, request.DryRun, clock, before, progress, cancellationToken).ConfigureAwait(false);
    }

    private async Task<PackageCreateResult> CreateCoreAsync(CreatePackageRequest request, IProgress<ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clock = Stopwatch.StartNew();
        if (request.Files is null || request.Files.Count == 0)
        {
            throw CreateRequestErrors.FilesRequired();
        }

        var target = CatalogTarget.Prepare(request.PackageName, request.TargetRegistry, request.Metadata, request.Message, request.Description, request.Workflow, Options.MaxMetadataBytes);
        var planner = new LogicalKeyPlanner(preserveStructure: false);
        var locations = new Dictionary<string, ObjectLocation>(StringComparer.Ordinal);
        foreach (var file in request.Files)
        {
            var location = CatalogLocations.Object(file);
            var sourceKey = PhysicalKey.S3(location.Bucket, location.Key, location.VersionId).ToString();
            if (!locations.TryAdd(sourceKey, location))
            {
                throw CreateRequestErrors.ListedTwice(file);
            }

            planner.Add(sourceKey, location.Key);
        }

        planner.ThrowIfInvalid();
        var items = planner.Keys.Select(k => new CatalogPlanItem(locations[k.SourceKey], k.LogicalKey, null, null)).ToList();
        var copy = request.Copy switch
        {
            CopyMode.All => true,
            CopyMode.Auto => items.Any(i => !string.Equals(i.Location.Bucket, target.Bucket, StringComparison.Ordinal)),
            _ => false,
        };

        var client = await ClientAsync(cancellationToken).ConfigureAwait(false);
        var store = await StoreAsync(cancellationToken).ConfigureAwait(false);
        var before = store.Requests.Snapshot();
        var planWarnings = new List<string>();
        copy = copy && await CanCopyIntoRegistryAsync(store, target, request.Copy, planWarnings, cancellationToken).ConfigureAwait(false);
        var latest = (await client.GetPackageAsync(target.Bucket, target.Name.ToString(), cancellationToken).ConfigureAwait(false))?.LatestTopHash;
        var plan = new CatalogPlan(target, store, items, copy, request.PreserveMetadata, HeadAlways: true, new SkippedCounts(0, 0), latest, request.Force, planWarnings);
        return await RunAsync(client, plan, request.DryRun, clock, before, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<PackageBrowseResult> BrowseAsync(string packageName, StorageLocation registry, string? topHash = null, CancellationToken cancellationToken = default)
    {
        var name = PackageName.Parse(packageName);
        var bucket = CatalogLocations.RegistryBucket(registry);
        var client = await ClientAsync(cancellationToken).ConfigureAwait(false);
        var contents = await ReadRevisionAsync(client, bucket, name, topHash, cancellationToken).ConfigureAwait(false);
        var entries = contents.Entries!;
        return new PackageBrowseResult(name.ToString(), "s3://" + bucket, contents.Revision.Hash, contents.Revision.Message, contents.UserMeta, entries.Sum(e => e.Size), entries);
    }

    /// <inheritdoc />
    public async Task<PackageListResult> ListPackagesAsync(StorageLocation registry, CancellationToken cancellationToken = default)
    {
        var bucket = CatalogLocations.RegistryBucket(registry);
        var client = await ClientAsync(cancellationToken).ConfigureAwait(false);
        var packages = await client.ListPackagesAsync(bucket, null, cancellationToken).ConfigureAwait(false)
            ?? throw QuiltException.NotFound(
                $"The catalog does not know the bucket s3://{bucket}, or the catalog user cannot see it.",
                "Check the bucket name, and ask a catalog admin to add the bucket or grant access.");
        return new PackageListResult(
            "s3://" + bucket,
            packages.Select(p => new PackageSummary(p.Name, p.LatestTopHash, p.Revisions, p.Modified)).ToList());
    }

    /// <inheritdoc />
    public async Task<PackageDiffResult> DiffAsync(string packageName, StorageLocation registry, string fromTopHash, string toTopHash, CancellationToken cancellationToken = default)
    {
        var name = PackageName.Parse(packageName);
        var bucket = CatalogLocations.RegistryBucket(registry);
        var client = await ClientAsync(cancellationToken).ConfigureAwait(false);
        var from = await ReadRevisionAsync(client, bucket, name, fromTopHash, cancellationToken).ConfigureAwait(false);
        var to = await ReadRevisionAsync(client, bucket, name, toTopHash, cancellationToken).ConfigureAwait(false);
        return RevisionDiff.Compare(
            name.ToString(),
            (from.Revision.Hash, from.Revision.Message, from.UserMeta, from.Entries!),
            (to.Revision.Hash, to.Revision.Message, to.UserMeta, to.Entries!));
    }

    /// <inheritdoc />
    /// <remarks>Reads the registry and the objects with the user's temporary credentials, exactly as direct mode verifies.</remarks>
    public async Task<PackageVerifyResult> VerifyAsync(string packageName, StorageLocation registry, string? topHash = null, CancellationToken cancellationToken = default)
    {
        _ = CatalogLocations.RegistryBucket(registry);
        var direct = await DirectAsync(cancellationToken).ConfigureAwait(false);
        return await ForCatalogUserAsync(direct.VerifyAsync(packageName, registry, topHash, cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<BucketObjectsListResult> ListObjectsAsync(StorageLocation location, string? delimiter = null, int maxKeys = 1000, string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        var direct = await DirectAsync(cancellationToken).ConfigureAwait(false);
        return await ForCatalogUserAsync(direct.ListObjectsAsync(CatalogLocations.RequireS3(location, "bucket"), delimiter, maxKeys, continuationToken, cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<BucketObjectInfoResult> GetObjectInfoAsync(StorageLocation location, CancellationToken cancellationToken = default)
    {
        _ = CatalogLocations.Object(location);
        var direct = await DirectAsync(cancellationToken).ConfigureAwait(false);
        return await ForCatalogUserAsync(direct.GetObjectInfoAsync(location, cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Signed with the user's temporary credentials, so the URL cannot outlive them: the expiry is cut to the
    /// credentials' remaining lifetime (never below a minute's notice, as they are renewed five minutes early).
    /// </remarks>
    public async Task<UploadUrlResult> GetUploadUrlAsync(StorageLocation location, TimeSpan expiresIn, CancellationToken cancellationToken = default)
    {
        _ = CatalogLocations.Object(location);
        var provider = await _connection.GetCredentialsProviderAsync(cancellationToken).ConfigureAwait(false);
        var credentials = await provider.GetCredentialsAsync(Token(), cancellationToken).ConfigureAwait(false);
        var remaining = credentials.Expiration - _connection.Clock.GetUtcNow();
        if (expiresIn > TimeSpan.Zero && expiresIn <= TimeSpan.FromDays(7) && remaining > TimeSpan.FromMinutes(1) && expiresIn > remaining)
        {
            expiresIn = remaining;
        }

        var direct = Direct(await _connection.GetStoreAsync(Token(), cancellationToken).ConfigureAwait(false));
        return await direct.GetUploadUrlAsync(location, expiresIn, cancellationToken).ConfigureAwait(false);
    }

    private static void CheckTargetBucket(StorageLocation? targetBucket, CatalogTarget target, bool copy)
    {
        if (targetBucket is null || !copy)
        {
            return;
        }

        var bucket = CatalogLocations.RegistryBucket(targetBucket);
        if (!string.Equals(bucket, target.Bucket, StringComparison.Ordinal))
        {
            throw QuiltException.InvalidInput(
                QuiltErrorReason.CopyNotPossible,
                QuiltInputField.TargetBucket,
                $"In catalog mode copies go to the registry bucket s3://{target.Bucket}; target bucket s3://{bucket} is not possible (the registry's packagePromote copies only into the registry).",
                "Leave the target bucket out, use copy mode None to reference the objects in place, or use direct mode.");
        }
    }

    /// <summary>
    /// A copy is a <c>packagePromote</c> into the registry itself, which the registry allows only when its workflow
    /// config lists it under <c>successors</c>. Read before anything is written: when it cannot, copy=auto references
    /// the objects in place with a warning saying why, and copy=all is refused. An unreadable config leaves the decision
    /// to the registry (a refused promotion is rolled back).
    /// </summary>
    private static async Task<bool> CanCopyIntoRegistryAsync(IObjectStore store, CatalogTarget target, CopyMode mode, List<string> warnings, CancellationToken cancellationToken)
    {
        var (verdict, configUrl) = await RegistryPromotion.CheckAsync(store, target.Bucket, cancellationToken).ConfigureAwait(false);
        if (verdict is PromotionVerdict.Allowed or PromotionVerdict.Unknown)
        {
            return true;
        }

        var why = RegistryPromotion.Explain(verdict, target.Bucket, configUrl);
        if (mode == CopyMode.All)
        {
            throw QuiltException.InvalidInput(
                QuiltErrorReason.CopyNotPossible,
                QuiltInputField.Copy,
                $"Copy mode All cannot copy into s3://{target.Bucket} in catalog mode: {why}. Nothing was written.",
                "Use copy mode None (or Auto) to reference the objects in place; to copy them, " + RegistryPromotion.HowToCopy(target.Bucket));
        }

        warnings.Add($"Copy mode Auto referenced the objects in place instead of copying them into s3://{target.Bucket}: {why}. To copy them, {RegistryPromotion.HowToCopy(target.Bucket)}");
        return false;
    }

    /// <summary>A stored full-object SHA-256 converts exactly for single-chunk objects; anything else is left to the registry.</summary>
    private static QuiltHash? ExactHash(ObjectMetadata head)
    {
        var checksums = head.Checksums;
        if (checksums.Sha256 is not { Length: > 0 } sha
            || sha.Contains('-', StringComparison.Ordinal)
            || head.PartsCount > 1
            || (checksums.ChecksumType is { } type && !string.Equals(type, S3ChecksumConverter.FullObject, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        return S3ChecksumConverter.FromFullObjectSha256(sha, head.Size);
    }

    /// <summary>
    /// S3 refusals come from the storage layer with direct mode's advice (check AWS_PROFILE, AWS_ACCESS_KEY_ID), which a
    /// catalog user cannot follow: the server holds no AWS keys and signs with the user's temporary credentials. The
    /// message (what was refused, where) is kept; the next step becomes one the catalog user can take.
    /// </summary>
    internal static async Task<T> ForCatalogUserAsync<T>(Task<T> operation)
    {
        try
        {
            return await operation.ConfigureAwait(false);
        }
        catch (QuiltException e) when (e.Reason == QuiltErrorReason.CredentialsRefused)
        {
            throw QuiltException.AccessDenied(e.Message, S3AccessHint, e);
        }
    }

    /// <summary>The next step for an S3 request the catalog user's temporary credentials may not make.</summary>
    internal const string S3AccessHint =
        "The catalog user's temporary credentials may not do this: check the bucket and key, and ask a catalog admin to grant the user's role access to the bucket; retry if the credentials had expired.";

    private string Token() => _token ?? throw CatalogGraphQLClient.MissingToken();

    private async Task<CatalogGraphQLClient> ClientAsync(CancellationToken cancellationToken)
    {
        var token = Token();
        var registry = await _connection.GetRegistryUrlAsync(cancellationToken).ConfigureAwait(false);
        return new CatalogGraphQLClient(_connection.Http, registry, token, _connection.Loggers.CreateLogger<CatalogGraphQLClient>());
    }

    /// <summary>
    /// The user's S3 store. It signs each request with the user's current credentials, so a long operation keeps working
    /// when they are renewed; a set S3 refuses as expired or invalid is forgotten and the request sent once more.
    /// </summary>
    private async Task<IObjectStore> StoreAsync(CancellationToken cancellationToken)
    {
        // Fetched up front so that a refused token or an unreachable registry fails the call before any S3 work.
        var token = Token();
        var provider = await _connection.GetCredentialsProviderAsync(cancellationToken).ConfigureAwait(false);
        _ = await provider.GetCredentialsAsync(token, cancellationToken).ConfigureAwait(false);
        return await _connection.GetStoreAsync(token, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DirectQuiltOperations> DirectAsync(CancellationToken cancellationToken) =>
        Direct(await StoreAsync(cancellationToken).ConfigureAwait(false));

    private DirectQuiltOperations Direct(IObjectStore store) => new(
        new StoreProvider(DeniedLocalStore.Instance, () => store),
        new PackagingOptions
        {
            Concurrency = Options.Concurrency,
            SmallObjectThreshold = Options.SmallObjectThreshold,
            CatalogUrl = Options.CatalogUrl,
            Clock = _connection.Clock,
        },
        _logger);

    private async Task<CatalogRevisionContents> ReadRevisionAsync(CatalogGraphQLClient client, string bucket, PackageName name, string? hashOrPrefix, CancellationToken cancellationToken)
    {
        var wanted = await ResolveHashAsync(client, bucket, name, hashOrPrefix, cancellationToken).ConfigureAwait(false);
        var contents = await client.GetRevisionAsync(bucket, name.ToString(), wanted, Options.MaxBrowseEntries, cancellationToken).ConfigureAwait(false)
            ?? throw QuiltException.NotFound(
                wanted == "latest"
                    ? $"Package {name} does not exist in s3://{bucket}, or the catalog user cannot see it."
                    : $"Package {name} has no revision {wanted} in s3://{bucket}, or the catalog user cannot see it.",
                "List the registry's packages to check the name and revision.");
        if (contents.Entries is null)
        {
            throw QuiltException.Unsupported(
                $"Package {name}@{contents.Revision.Hash} has more than {Options.MaxBrowseEntries:N0} entries, more than the registry is asked to list.",
                "Browse it in direct mode with AWS credentials, or raise the catalog-mode browse limit.");
        }

        return contents;
    }

    /// <summary>Like direct mode: null or <c>latest</c> → latest; 64 hex → as is; a prefix of 6+ hex → the one revision it names.</summary>
    private static async Task<string> ResolveHashAsync(CatalogGraphQLClient client, string bucket, PackageName name, string? hashOrPrefix, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(hashOrPrefix) || hashOrPrefix == "latest")
        {
            return "latest";
        }

        var wanted = hashOrPrefix.ToLowerInvariant();
        if (wanted.Length < 6 || wanted.Length > 64 || !wanted.All(char.IsAsciiHexDigit))
        {
            throw QuiltException.InvalidInput($"'{hashOrPrefix}' is not a top hash or a prefix of one (6 to 64 hex characters).");
        }

        if (wanted.Length == 64)
        {
            return wanted;
        }

        var hashes = await client.GetRevisionHashesAsync(bucket, name.ToString(), cancellationToken).ConfigureAwait(false);
        var matches = hashes.Where(h => h.StartsWith(wanted, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw QuiltException.NotFound($"Registry s3://{bucket} has no revision {hashOrPrefix} (package {name}).", "Run list or browse to see its revisions."),
            _ => throw QuiltException.InvalidInput($"'{hashOrPrefix}' matches {matches.Count} revisions of {name}.", "Give more characters of the top hash."),
        };
    }

    private async Task<PackageCreateResult> RunAsync(
        CatalogGraphQLClient client,
        CatalogPlan plan,
        bool dryRun,
        Stopwatch clock,
        IReadOnlyDictionary<string, long> requestsBefore,
        IProgress<ProgressUpdate>? progress,
        CancellationToken cancellationToken)
    {
        var warnings = new List<string>(plan.Warnings);
        if (SourceSelection.FolderKeysWithDataWarning(plan.Skipped) is { } skippedFolderKeys)
        {
            warnings.Add(skippedFolderKeys); // as direct mode: same counts, same warning
        }

        var target = plan.Target;
        if (dryRun)
        {
            warnings.Add("In catalog mode the registry checks the workflow and the metadata when the package is created; a dry run cannot check them.");
            var shown = plan.Items.Take(Options.MaxPlanEntriesShown)
                .Select(i => new PlannedEntry(i.LogicalKey, plan.Store.ToPhysicalKey(i.Location), i.Size ?? 0, plan.Copy))
                .ToList();
            return Result(plan, null, [], [], clock, requestsBefore, warnings) with
            {
                DryRun = true,
                Plan = shown,
                PlanTruncated = plan.Items.Count > shown.Count,
            };
        }

        var (entries, steps) = await DescribeAsync(plan, progress, cancellationToken).ConfigureAwait(false);
        var parameters = target.PushParameters;
        var current = (await client.GetPackageAsync(target.Bucket, target.Name.ToString(), cancellationToken).ConfigureAwait(false))?.LatestTopHash;
        if (!plan.Force && !string.Equals(current, plan.LatestAtValidation, StringComparison.Ordinal))
        {
            throw QuiltException.Conflict(
                $"Package {target.Name} changed during this run: latest was {plan.LatestAtValidation ?? "absent"} and is now {current ?? "absent"}. Nothing was written.",
                "Someone else pushed a revision; run again to build on it, or pass force to overwrite latest.");
        }

        // The hashes that exist before this run: a rollback must never delete one of them.
        var existing = plan.Copy
            ? (await client.GetRevisionHashesAsync(target.Bucket, target.Name.ToString(), cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal)
            : [];
        if (plan.LatestAtValidation is { } known)
        {
            existing.Add(known);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var total = plan.Copy ? 2 : 1;
        progress?.Report(new ProgressUpdate("committing", 0, total, 0, null));
        CatalogRevision constructed;
        try
        {
            constructed = await ConstructAsync(client, plan, parameters, entries, steps, warnings, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsOutcomeUnknown(e))
        {
            // The registry may have written the revision although its answer never arrived: ask it.
            var committed = await FindCommittedRevisionAsync(client, plan, entries, promoted: false).ConfigureAwait(false);
            if (committed is null)
            {
                throw;
            }

            warnings.Add(CommittedDespite("packageConstruct", e, committed.Hash));
            LogCommittedDespite(_logger, e, target.Name, committed.Hash);
            if (plan.Copy && cancellationToken.IsCancellationRequested)
            {
                // Cancelled before the copy: the constructed revision references the objects in place; remove it.
                var undo = await RollbackAsync(client, target, committed.Hash, existing).ConfigureAwait(false);
                throw QuiltException.Cancelled("The package creation was cancelled after the registry wrote revision " + committed.Hash + "." + undo, e);
            }

            constructed = committed;
        }

        progress?.Report(new ProgressUpdate("committing", 1, total, 0, null));
        LogConstructed(_logger, target.Name, target.Bucket, constructed.Hash, entries.Length);

        var final = constructed;
        if (plan.Copy)
        {
            var bytes = entries.Sum(e => e.Size ?? 0);
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new ProgressUpdate("copying", 0, entries.Length, 0, bytes));
                var promoted = await client.PackagePromoteAsync(parameters, new PackageRevisionReference(target.Bucket, target.Name.ToString(), constructed.Hash), null, cancellationToken).ConfigureAwait(false);
                final = promoted.EnsureSuccess("package promotion");
                progress?.Report(new ProgressUpdate("copying", entries.Length, entries.Length, bytes, bytes));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The registry may have promoted although its answer never arrived (same top hash, or a new revision holding the copies).
                var committed = IsOutcomeUnknown(e) ? await FindCommittedRevisionAsync(client, plan, entries, promoted: true).ConfigureAwait(false) : null;
                if (committed is null || (committed.Hash != constructed.Hash && existing.Contains(committed.Hash)))
                {
                    throw await RolledBackAsync(e).ConfigureAwait(false);
                }

                final = committed;
                warnings.Add(CommittedDespite("packagePromote", e, committed.Hash));
                LogCommittedDespite(_logger, e, target.Name, committed.Hash);
            }

            async Task<QuiltException> RolledBackAsync(Exception e)
            {
                var undo = await RollbackAsync(client, target, constructed.Hash, existing).ConfigureAwait(false);
                LogRolledBack(_logger, e, target.Name, constructed.Hash);
                return e switch
                {
                    OperationCanceledException => QuiltException.Cancelled("The package creation was cancelled after the registry wrote revision " + constructed.Hash + "." + undo, e),
                    QuiltException q => q.WithMessage(q.Message + undo),
                    _ => new QuiltException(QuiltErrorKind.Transient, $"Package creation failed: {e.Message}.{undo}", "Retry; if it fails again, report the error.", e),
                };
            }

            if (!string.Equals(final.Hash, constructed.Hash, StringComparison.Ordinal) && !existing.Contains(constructed.Hash))
            {
                // The constructed revision referenced the objects in place; the promoted one holds the copies.
                var leftover = await DeleteRevisionAsync(client, target, constructed.Hash).ConfigureAwait(false);
                if (leftover is not null)
                {
                    warnings.Add($"The intermediate revision {constructed.Hash} (objects referenced in place) could not be removed: {leftover}");
                }
            }

            progress?.Report(new ProgressUpdate("committing", 2, total, 0, null));
        }

        try
        {
            var after = await client.GetPackageAsync(target.Bucket, target.Name.ToString(), CancellationToken.None).ConfigureAwait(false);
            if (after?.LatestTopHash is { } latestNow && !string.Equals(latestNow, final.Hash, StringComparison.Ordinal))
            {
                warnings.Add($"Revision {latestNow} became latest after this one ({final.Hash}); someone else pushed {target.Name} meanwhile.");
            }
        }
        catch (QuiltException e)
        {
            warnings.Add($"Could not re-read {target.Name} after creating it: {e.Message}");
        }

        return Result(plan, final, entries, steps, clock, requestsBefore, warnings);
    }

    /// <summary>
    /// A failure after which the registry may or may not have applied the mutation: the caller's cancellation, or a
    /// transient failure (timeout, lost connection, 5xx, unreadable answer). Registry refusals are values, never these.
    /// </summary>
    private static bool IsOutcomeUnknown(Exception e) =>
        e is OperationCanceledException || (e is QuiltException q && q.Kind == QuiltErrorKind.Transient);

    private static string CommittedDespite(string operation, Exception e, string hash) =>
        $"The registry's answer to {operation} did not arrive ({(e is OperationCanceledException ? "the run was cancelled" : e.Message.TrimEnd('.'))}), " +
        $"but the registry holds revision {hash} with this run's entries, message and metadata: it was committed.";

    /// <summary>
    /// Re-reads the package after a mutation whose answer was lost: its latest revision is this run's when it has exactly
    /// this run's logical keys, message and metadata, and each entry is where the mutation puts it — the physical keys
    /// sent (the registry may add a version) for <c>packageConstruct</c>, the registry's copies at
    /// <c>&lt;name&gt;/&lt;logical key&gt;</c> for <c>packagePromote</c>. Null when it is not (or cannot be read). Never
    /// cancelled: it decides what to report.
    /// </summary>
    private async Task<CatalogRevision?> FindCommittedRevisionAsync(CatalogGraphQLClient client, CatalogPlan plan, PackageConstructEntryInput[] entries, bool promoted)
    {
        var target = plan.Target;
        CatalogRevisionContents? contents;
        try
        {
            contents = await client.GetRevisionAsync(target.Bucket, target.Name.ToString(), "latest", Math.Max(1, entries.Length), CancellationToken.None).ConfigureAwait(false);
        }
        catch (QuiltException e)
        {
            LogReconcileFailed(_logger, e, target.Name);
            return null;
        }

        if (contents?.Entries is not { } found
            || found.Count != entries.Length
            || !string.Equals(contents.Revision.Message ?? "", target.Message ?? "", StringComparison.Ordinal)
            || !SameUserMeta(contents.UserMeta, target.Metadata))
        {
            return null;
        }

        var sent = entries.ToDictionary(e => e.LogicalKey, StringComparer.Ordinal);
        foreach (var entry in found)
        {
            if (!sent.TryGetValue(entry.LogicalKey, out var ours) || !PhysicalKey.TryParse(entry.PhysicalKey, out var actual) || !actual.IsS3)
            {
                return null;
            }

            var expected = promoted ? PhysicalKey.S3(target.Bucket, $"{target.Name}/{entry.LogicalKey}") : PhysicalKey.Parse(ours.PhysicalKey);
            if (actual.Bucket != expected.Bucket || actual.Key != expected.Key || (expected.VersionId is { } version && actual.VersionId != version))
            {
                return null;
            }
        }

        return contents.Revision;
    }

    private static bool SameUserMeta(Core.Json.QuiltJsonValue? stored, Core.Json.QuiltJsonObject? sent) =>
        stored is null or Core.Json.QuiltJsonNull || stored is Core.Json.QuiltJsonObject { Count: 0 }
            ? sent is null || sent.Count == 0
            : sent is not null && stored.Equals(sent);

    private async Task<(PackageConstructEntryInput[] Entries, string?[] Steps)> DescribeAsync(CatalogPlan plan, IProgress<ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        var store = plan.Store;
        var entries = new PackageConstructEntryInput[plan.Items.Count];
        var steps = new string?[plan.Items.Count];
        if (!plan.PreserveMetadata && !plan.HeadAlways)
        {
            for (var i = 0; i < plan.Items.Count; i++)
            {
                var item = plan.Items[i];
                entries[i] = new PackageConstructEntryInput(item.LogicalKey, store.ToPhysicalKey(item.Location), item.Size, null, null);
            }

            return (entries, steps);
        }

        var totalBytes = plan.Items.Sum(i => i.Size ?? 0);
        long doneObjects = 0, doneBytes = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Options.Concurrency), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, plan.Items.Count), parallel, async (i, token) =>
        {
            var item = plan.Items[i];
            var head = await store.HeadAsync(item.Location, token).ConfigureAwait(false);
            var pinned = item.Location.VersionId is null && head.Location.VersionId is { } version ? item.Location with { VersionId = version } : item.Location;
            var hash = ExactHash(head);
            var meta = plan.PreserveMetadata ? Quilt.Packaging.Pipeline.EntryMetadata.Build(head, store.ToPhysicalKey(item.Location), isS3: true) : null;
            PackageMetadataRules.CheckEntryMetadata(item.LogicalKey, meta);
            entries[i] = new PackageConstructEntryInput(item.LogicalKey, store.ToPhysicalKey(pinned), head.Size, hash, meta);
            steps[i] = hash is null ? null : Quilt.Packaging.Pipeline.HashStepNames.Of(HashStep.StoredChecksum);
            progress?.Report(new ProgressUpdate("hashing", Interlocked.Increment(ref doneObjects), plan.Items.Count, Interlocked.Add(ref doneBytes, head.Size), totalBytes));
        }).ConfigureAwait(false);
        return (entries, steps);
    }

    /// <summary>
    /// <c>packageConstruct</c>. The registry hashes what comes without a hash, within deployment limits; when it refuses
    /// with <c>TooManyFilesToHash</c>, <c>PackageTooLargeToHash</c> or <c>FileTooLargeForHashing</c> this client hashes the
    /// rest itself (the direct-mode ladder, with the temporary credentials) and asks once more. Splitting into several
    /// calls is no remedy: each call writes a complete revision.
    /// </summary>
    private async Task<CatalogRevision> ConstructAsync(
        CatalogGraphQLClient client,
        CatalogPlan plan,
        PackagePushParameters parameters,
        PackageConstructEntryInput[] entries,
        string?[] steps,
        List<string> warnings,
        IProgress<ProgressUpdate>? progress,
        CancellationToken cancellationToken)
    {
        var result = await client.PackageConstructAsync(parameters, entries, cancellationToken).ConfigureAwait(false);
        var missing = Enumerable.Range(0, entries.Length).Where(i => entries[i].Hash is null).ToList();
        if (!result.Succeeded && result.Error!.Details.Any(d => RegistryErrorKinds.HashLimitNames.Contains(d.Name)) && missing.Count > 0)
        {
            var names = string.Join(", ", result.Error.Details.Select(d => d.Name).Distinct(StringComparer.Ordinal));
            warnings.Add($"The registry would not hash {missing.Count:N0} object(s) itself ({names}); this client hashed them with the catalog user's credentials and sent the hashes.");
            await HashMissingAsync(plan, entries, steps, missing, progress, cancellationToken).ConfigureAwait(false);
            result = await client.PackageConstructAsync(parameters, entries, cancellationToken).ConfigureAwait(false);
        }

        if (result.Succeeded)
        {
            return result.Revision!;
        }

        var error = result.Error!.ToException("package creation", i => i >= 0 && i < entries.Length ? entries[i].LogicalKey : null);
        throw error.WithMessage(error.Message + " Nothing was written.");
    }

    private async Task HashMissingAsync(CatalogPlan plan, PackageConstructEntryInput[] entries, string?[] steps, List<int> missing, IProgress<ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        var store = plan.Store;
        var totalBytes = missing.Sum(i => entries[i].Size ?? plan.Items[i].Size ?? 0);
        long doneObjects = 0, doneBytes = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Options.Concurrency), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(missing, parallel, async (i, token) =>
        {
            var item = plan.Items[i];
            var location = PhysicalKey.Parse(entries[i].PhysicalKey) is { IsS3: true } pk ? new ObjectLocation(pk.Bucket, pk.Key, pk.VersionId) : item.Location;
            var options = new HashingOptions
            {
                SmallObjectThreshold = Options.SmallObjectThreshold,
                ScratchBucket = plan.Target.Bucket,
                ScratchPrefix = PackageRegistry.ScratchHashPrefix,
                KnownSize = entries[i].Size ?? item.Size,
                KnownETag = item.ETag,
            };
            var hashed = await store.HashAsync(location, options, token).ConfigureAwait(false);
            entries[i] = entries[i] with { Hash = hashed.Hash, Size = hashed.Metadata.Size };
            steps[i] = Quilt.Packaging.Pipeline.HashStepNames.Of(hashed.Step);
            progress?.Report(new ProgressUpdate("hashing", Interlocked.Increment(ref doneObjects), missing.Count, Interlocked.Add(ref doneBytes, hashed.Metadata.Size), totalBytes));
        }).ConfigureAwait(false);
    }

    private static async Task<string> RollbackAsync(CatalogGraphQLClient client, CatalogTarget target, string hash, HashSet<string> existing)
    {
        if (existing.Contains(hash))
        {
            return $" The registry's revision {hash} existed before this run, so it was left as it was; nothing else was written.";
        }

        var problem = await DeleteRevisionAsync(client, target, hash).ConfigureAwait(false);
        return problem is null
            ? $" Rolled back: revision {hash}, which this run created, was deleted; nothing was left behind."
            : $" Rollback could not delete revision {hash}, which this run created: {problem}";
    }

    /// <summary>Deletes a revision this run created; returns why it could not, or null. Never cancelled: it cleans up.</summary>
    private static async Task<string?> DeleteRevisionAsync(CatalogGraphQLClient client, CatalogTarget target, string hash)
    {
        try
        {
            var error = await client.PackageRevisionDeleteAsync(target.Bucket, target.Name.ToString(), hash, CancellationToken.None).ConfigureAwait(false);
            return error is null ? null : error.Describe() + ".";
        }
        catch (QuiltException e)
        {
            return e.Message;
        }
    }

    private PackageCreateResult Result(
        CatalogPlan plan,
        CatalogRevision? revision,
        PackageConstructEntryInput[] entries,
        string?[] steps,
        Stopwatch clock,
        IReadOnlyDictionary<string, long> requestsBefore,
        List<string> warnings)
    {
        var target = plan.Target;
        var (uri, catalogUrl) = CreateResults.Links(new PackageRegistryRef(true, target.Bucket, target.RegistryUri), target.Name, revision?.Hash, Options.CatalogUrl);

        var done = revision is not null;
        return new PackageCreateResult
        {
            PackageName = target.Name.ToString(),
            Registry = target.RegistryUri,
            TopHash = revision?.Hash,
            Uri = uri,
            CatalogUrl = catalogUrl,
            DryRun = false,
            Entries = plan.Items.Count,
            TotalBytes = entries.Length > 0 ? entries.Sum(e => e.Size ?? 0) : plan.Items.Sum(i => i.Size ?? 0),
            ObjectsCopied = done && plan.Copy ? plan.Items.Count : 0,
            ObjectsReferenced = done && !plan.Copy ? plan.Items.Count : 0,
            HashesByStep = done
                ? steps.GroupBy(s => s ?? "registry", StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal)
                : new Dictionary<string, long>(),
            Skipped = plan.Skipped,
            Requests = CreateResults.RequestsSince(requestsBefore, plan.Store.Requests.Snapshot()),
            Warnings = warnings,
            ElapsedSeconds = Math.Round(clock.Elapsed.TotalSeconds, 3),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Catalog mode: registry constructed {Package} in s3://{Bucket} as {TopHash} ({Entries} entries)")]
    private static partial void LogConstructed(ILogger logger, PackageName package, string bucket, string topHash, int entries);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog mode: the registry's answer for {Package} was lost, but it committed revision {TopHash}")]
    private static partial void LogCommittedDespite(ILogger logger, Exception exception, PackageName package, string topHash);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog mode: could not re-read {Package} after a lost registry answer")]
    private static partial void LogReconcileFailed(ILogger logger, Exception exception, PackageName package);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalog mode: creation of {Package} failed after revision {TopHash} was constructed; rolled back")]
    private static partial void LogRolledBack(ILogger logger, Exception exception, PackageName package, string topHash);
}
