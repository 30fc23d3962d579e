using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Quilt.Core.Errors;
using Quilt.Core.Hashing;
using Quilt.Core.Json;
using Quilt.Core.Manifests;
using Quilt.Core.Naming;
using Quilt.Core.Selection;
using Quilt.Packaging.Contracts;
using Quilt.Packaging.Internal;
using Quilt.Packaging.Recovery;
using Quilt.Packaging.Registry;
using Quilt.Packaging.Workflows;
using Quilt.Storage;

namespace Quilt.Packaging.Pipeline;

/// <summary>
/// The one place where "create a package" is implemented (DESIGN.md §3): plan, validate, transfer and hash, commit,
/// and roll back on any failure or cancellation so that nothing this run created is left behind.
/// </summary>
public sealed class PackageCreator
{
    private readonly StoreProvider _stores;
    private readonly PackagingOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the pipeline over the given stores.</summary>
    public PackageCreator(StoreProvider stores, PackagingOptions? options = null, ILogger? logger = null)
    {
        _stores = stores;
        _options = options ?? new PackagingOptions();
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Creates a package from a bucket prefix or a local folder.</summary>
    public async Task<PackageCreateResult> CreateFromSourceAsync(CreateFromS3Request request, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clock = Stopwatch.StartNew();
        var before = _stores.SnapshotRequests();
        var common = Prepare(request.PackageName, request.TargetRegistry, request.TargetBucket, request.Metadata, request.Message, request.Description);
        var source = request.Source ?? throw QuiltException.InvalidInput("No source was given.", "Give the bucket and prefix (or the folder) to package.");
        var sourceStore = _stores.For(source);

        var sourceInfo = await sourceStore.GetBucketInfoAsync(source.Bucket, cancellationToken).ConfigureAwait(false);
        if (!sourceInfo.Exists)
        {
            throw QuiltException.NotFound(
                $"The source {DescribeBucket(source)} does not exist or is not reachable with the credentials in use.",
                "Check the bucket name (or folder path) and your AWS credentials.");
        }

        await EnsureRegistryAsync(common, cancellationToken).ConfigureAwait(false);

        var (items, skipped) = await SelectAsync(request, sourceStore, source, sourceInfo.IsVersioned, progress, cancellationToken).ConfigureAwait(false);
        var plan = await CompletePlanAsync(common, sourceStore, items, request.Copy, request.PreserveMetadata, skipped, request.Workflow, request.Force, cancellationToken).ConfigureAwait(false);
        return await RunAsync(plan, request.DryRun, clock, before, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists and selects in a method of its own, so the selection is garbage once it became plan items.</summary>
    private static async Task<(List<PlanItem> Items, SkippedCounts Skipped)> SelectAsync(CreateFromS3Request request, IObjectStore store, StorageLocation source, bool isVersioned, IProgress<ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        var (selected, skipped) = await SourceSelection.SelectAsync(
            store, source.Bucket, source.Key, isVersioned, request.IncludePatterns, request.ExcludePatterns,
            request.PreserveStructure, source.ToString(), progress, cancellationToken).ConfigureAwait(false);
        var items = new List<PlanItem>(selected.Count);
        items.AddRange(selected.Select(o => new PlanItem(o.Location, o.LogicalKey, o.Size, o.ETag, null)));
        return (items, skipped);
    }

    /// <summary>Creates a package from explicit object URIs; each becomes an entry named by its file name.</summary>
    public async Task<PackageCreateResult> CreateFromFilesAsync(CreatePackageRequest request, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clock = Stopwatch.StartNew();
        var before = _stores.SnapshotRequests();
        if (request.Files is null || request.Files.Count == 0)
        {
            throw CreateRequestErrors.FilesRequired();
        }

        var common = Prepare(request.PackageName, request.TargetRegistry, null, request.Metadata, request.Message, request.Description);
        await EnsureRegistryAsync(common, cancellationToken).ConfigureAwait(false);

        var planner = new LogicalKeyPlanner(preserveStructure: false);
        var resolved = new Dictionary<string, ObjectLocation>(StringComparer.Ordinal);
        IObjectStore? store = null;
        foreach (var file in request.Files)
        {
            ArgumentNullException.ThrowIfNull(file);
            var location = file.ToObject();
            var fileStore = _stores.For(file);
            if (store is not null && !ReferenceEquals(store, fileStore))
            {
                throw QuiltException.InvalidInput("All files must be in S3, or all local.", "Create the package from one kind of location.");
            }

            store = fileStore;
            var sourceKey = file.ToString();
            if (!resolved.TryAdd(sourceKey, location))
            {
                throw CreateRequestErrors.ListedTwice(file);
            }

            planner.Add(sourceKey, location.Key);
        }

        planner.ThrowIfInvalid();
        var items = planner.Keys
            .Select(k => new PlanItem(resolved[k.SourceKey], k.LogicalKey, null, null, null))
            .ToList();
        var plan = await CompletePlanAsync(common, store!, items, request.Copy, request.PreserveMetadata, new SkippedCounts(0, 0), request.Workflow, request.Force, cancellationToken).ConfigureAwait(false);
        return await RunAsync(plan, request.DryRun, clock, before, progress, cancellationToken).ConfigureAwait(false);
    }

    private static string DescribeBucket(StorageLocation location) => location.IsS3 ? $"bucket s3://{location.Bucket}" : $"folder {location.Bucket}";

    private CommonInputs Prepare(string packageName, StorageLocation targetRegistry, StorageLocation? targetBucket, QuiltJsonValue? metadata, string? message, string? description)
    {
        var name = PackageName.Parse(packageName);
        var registry = _stores.OpenRegistry(targetRegistry ?? throw QuiltException.InvalidInput("No registry was given.", "Give the registry bucket (or folder)."));
        string? target = registry.Bucket;
        if (targetBucket is { } t)
        {
            if (t.IsS3 != targetRegistry.IsS3 || t.Key.Length > 0)
            {
                throw QuiltException.InvalidInput(QuiltErrorReason.Unspecified, QuiltInputField.TargetBucket, $"The target bucket '{targetBucket}' must be a bucket (no path) in the same store as the registry.");
            }

            target = t.Bucket;
        }

        // Before the first write: the rules catalog mode applies too (an object, finite numbers, encodable strings, the size limit).
        var meta = PackageMetadataRules.CheckPackageMetadata(metadata, _options.MaxMetadataBytes);
        var effectiveMessage = !string.IsNullOrEmpty(message) ? message : !string.IsNullOrEmpty(description) ? description : null;
        return new CommonInputs(name, registry, target, meta, effectiveMessage);
    }

    private static async Task EnsureRegistryAsync(CommonInputs common, CancellationToken cancellationToken)
    {
        var registry = common.Registry;
        if (registry.Store.Scheme != "s3")
        {
            return; // A local registry folder is created on first write.
        }

        var info = await registry.Store.GetBucketInfoAsync(registry.Bucket, cancellationToken).ConfigureAwait(false);
        if (!info.Exists)
        {
            throw QuiltException.NotFound($"The registry bucket s3://{registry.Bucket} does not exist or is not reachable.", "Check the registry name and your AWS credentials.");
        }

        if (common.TargetBucket is not null && common.TargetBucket != registry.Bucket)
        {
            var target = await registry.Store.GetBucketInfoAsync(common.TargetBucket, cancellationToken).ConfigureAwait(false);
            if (!target.Exists)
            {
                throw QuiltException.NotFound($"The target bucket s3://{common.TargetBucket} does not exist or is not reachable.", "Check the target bucket name.");
            }
        }
    }

    private static async Task<CreationPlan> CompletePlanAsync(
        CommonInputs common,
        IObjectStore sourceStore,
        List<PlanItem> items,
        CopyMode copy,
        bool preserveMetadata,
        SkippedCounts skipped,
        WorkflowChoice workflow,
        bool force,
        CancellationToken cancellationToken)
    {
        if (sourceStore.Scheme == "file" && common.Registry.Store.Scheme == "s3")
        {
            // Entries would name file:// paths of this machine inside a shared registry, which no one else can read.
            throw QuiltException.InvalidInput(
                $"A package in the S3 registry {common.Registry.Uri} cannot reference local files: its entries would point at paths on this machine.",
                "Upload the files to S3 first (e.g. `aws s3 cp --recursive`, or through presigned upload URLs) and package the s3:// prefix, or use a local folder as the registry.");
        }

        var sameStore = ReferenceEquals(sourceStore, common.Registry.Store);
        if (copy == CopyMode.All && !sameStore)
        {
            throw QuiltException.InvalidInput(
                QuiltErrorReason.CopyNotPossible,
                QuiltInputField.Copy,
                "Copy mode All needs the source and the registry in the same store (both S3, or both local folders).",
                "Use copy mode None to reference the objects where they are.");
        }

        var target = common.TargetBucket!;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var doCopy = copy switch
            {
                CopyMode.All => true,
                CopyMode.Auto => sameStore && !string.Equals(item.Source.Bucket, target, StringComparison.Ordinal),
                _ => false,
            };
            if (!doCopy)
            {
                continue;
            }

            var destination = new ObjectLocation(target, $"{common.Name.Namespace}/{common.Name.Name}/{item.LogicalKey}");
            if (!(destination.Bucket == item.Source.Bucket && destination.Key == item.Source.Key))
            {
                items[i] = item with { CopyTo = destination };
            }
        }

        var latest = await common.Registry.ReadLatestAsync(common.Name, cancellationToken).ConfigureAwait(false);
        return new CreationPlan(
            common.Name, common.Registry, sourceStore, target, items, common.Metadata, common.Message,
            preserveMetadata, sourceStore.Scheme == "s3", latest, skipped, workflow, force);
    }

    private async Task<PackageCreateResult> RunAsync(
        CreationPlan plan,
        bool dryRun,
        Stopwatch clock,
        IReadOnlyDictionary<string, long> requestsBefore,
        IProgress<ProgressUpdate>? progress,
        CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        var workflowContext = await WorkflowGate.PrepareAsync(plan, cancellationToken).ConfigureAwait(false);
        workflowContext.ValidateBeforeTransfer();
        var header = Manifest.CreateHeader(plan.Metadata, workflowContext.HeaderWorkflow, plan.Message);
        WriteLimits.Check(plan, header);
        if (SourceSelection.FolderKeysWithDataWarning(plan.Skipped) is { } skippedFolderKeys)
        {
            warnings.Add(skippedFolderKeys);
        }

        if (dryRun && workflowContext.NeedsEntryRead)
        {
            warnings.Add("The workflow's entries schema checks object metadata or sizes, which a dry run does not read; they are checked on the real run before anything is written.");
        }

        if (dryRun)
        {
            var shown = plan.Items.Take(_options.MaxPlanEntriesShown)
                .Select(i => new PlannedEntry(i.LogicalKey, plan.SourceStore.ToPhysicalKey(i.Source), i.Size ?? 0, i.CopyTo is not null))
                .ToList();
            return Result(plan, null, dryRun: true, clock, requestsBefore, [], warnings) with
            {
                Plan = shown,
                PlanTruncated = plan.Items.Count > shown.Count,
            };
        }

        // Nothing has been written yet: a revision pushed since planning is a conflict now, before the first copy.
        var latestNow = await plan.Registry.ReadLatestAsync(plan.Name, cancellationToken).ConfigureAwait(false);
        if (!plan.Force && !string.Equals(latestNow, plan.LatestAtValidation, StringComparison.Ordinal))
        {
            throw QuiltException.Conflict(
                $"Package {plan.Name} changed while this run was being planned: latest was {plan.LatestAtValidation ?? "absent"} and is now {latestNow ?? "absent"}. Nothing was written.",
                "Someone else pushed a revision; run again to build on it, or pass force to overwrite latest.");
        }

        if (_options.StateDirectory is not null)
        {
            var cleaned = await new OrphanCleaner(_stores, _options, _logger).CleanupAsync(plan.Registry, plan.Name.ToString(), cancellationToken).ConfigureAwait(false);
            if (cleaned.RunsCleaned > 0)
            {
                warnings.Add($"Cleaned up after {cleaned.RunsCleaned} interrupted run(s) of this package first: removed {cleaned.ObjectsRemoved} object(s) and aborted {cleaned.UploadsAborted} upload(s) they left.");
            }
        }

        using var journal = RunJournal.Start(plan.Registry.Uri, plan.Name.ToString(), plan.LatestAtValidation, _options.Clock, _options.StateDirectory);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var settle = new CancellationTokenSource();
        using var settleAfterStop = stop.Token.Register(() => settle.CancelAfter(_options.SettleTimeout));
        try
        {
            var entries = await TransferAsync(plan, journal, warnings, workflowContext, progress, stop, settle.Token).ConfigureAwait(false);
            stop.Token.ThrowIfCancellationRequested();

            progress?.Report(new ProgressUpdate("committing", 0, 3, 0, null));
            header = Manifest.CreateHeader(plan.Metadata, workflowContext.HeaderWorkflow, plan.Message); // the entries check may have chosen the workflow
            var manifest = Manifest.Create(header, entries.Select(e => e.Entry));
            var topHash = manifest.ComputeTopHash();
            var bytes = ManifestWriter.Write(manifest);
            var warning = await RegistryCommit.CommitAsync(
                plan.Registry, plan.Name, plan.LatestAtValidation, plan.Force, topHash, bytes, journal, _options.Clock, stop.Token, settle.Token).ConfigureAwait(false);
            if (warning is not null)
            {
                warnings.Add(warning);
            }

            progress?.Report(new ProgressUpdate("committing", 3, 3, 0, null));
            journal.Discard();
            return Result(plan, topHash, dryRun: false, clock, requestsBefore, entries, warnings);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            throw await RollBackAsync(plan, journal, e).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Undoes a failed run once its requests settled and returns the error to throw: the original failure, with a
    /// sentence that states only what the listing after the rollback showed.
    /// </summary>
    private async Task<Exception> RollBackAsync(CreationPlan plan, RunJournal journal, Exception failure)
    {
        string undo;
        UndoReport? report = null;
        try
        {
            // Rollback runs after cancellation too, so it must not observe the run's token.
            report = await RunUndo.RunAsync(journal, plan.Registry, plan.Name, _options.Concurrency, CancellationToken.None).ConfigureAwait(false);
            if (report.Committed)
            {
                journal.Discard();
                undo = " The revision was committed nevertheless (latest names it), so nothing was rolled back.";
            }
            else
            {
                undo = report.Describe(plan.Registry.Uri, journal.Path is not null);
                if (report.Leftovers.Count == 0)
                {
                    journal.Discard();
                }
            }
        }
        catch (Exception e) when (e is QuiltException or OperationCanceledException or IOException)
        {
            undo = journal.Path is not null
                ? $" The rollback could not finish ({e.Message}); the journal {journal.Path} keeps what this run wrote: run `quilt-mcp cleanup --registry {plan.Registry.Uri}` to remove it."
                : $" The rollback could not finish ({e.Message}); objects this run wrote under {plan.Name}/ may remain.";
        }

        _logger.LogWarning(failure, "Package creation of {Package} failed; rollback removed {Removed} object(s), {Left} left", plan.Name, report?.Removed, report?.Leftovers.Count);
        return failure switch
        {
            OperationCanceledException => QuiltException.Cancelled("The package creation was cancelled." + undo, failure),
            QuiltException q => q.WithMessage(q.Message + undo),
            _ => new QuiltException(QuiltErrorKind.Transient, $"Package creation failed: {failure.Message}.{undo}", "Retry; if it fails again, report the error.", failure),
        };
    }

    /// <summary>
    /// Step 3: hashes in place and copies. When the entries schema needs what only reading the objects tells (their
    /// metadata, or sizes a file list leaves unknown), every read runs first and the entries are validated before the
    /// first copy. Otherwise each object is read and copied in one go, so HEADs and copies overlap.
    /// </summary>
    private async Task<TransferredEntry[]> TransferAsync(
        CreationPlan plan,
        RunJournal journal,
        List<string> warnings,
        WorkflowGate workflow,
        IProgress<ProgressUpdate>? progress,
        CancellationTokenSource stop,
        CancellationToken settle)
    {
        var store = plan.SourceStore;
        var count = plan.Items.Count;
        var results = new TransferredEntry[count];

        // Bodies stop reading at once on a failure or cancellation (the loop's token); a copy in flight carries the
        // settle token instead, so that it completes and the journal knows whether its object exists.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Concurrency), CancellationToken = stop.Token };
        var scratch = plan.Registry.Store.Scheme == "s3" && ReferenceEquals(store, plan.Registry.Store) ? plan.TargetBucket : null;
        var copyCount = plan.Items.Count(i => i.CopyTo is not null);
        var preexisting = copyCount > 0 ? await ExistingDestinationsAsync(plan, stop.Token).ConfigureAwait(false) : null;
        if (copyCount > 0)
        {
            await RegistryCommit.EnsureUnchangedAsync(plan.Registry, plan.Name, plan.LatestAtValidation, plan.Force, stop.Token).ConfigureAwait(false);
        }

        var overwritten = new ConcurrentBag<string>();
        var totalBytes = plan.Items.Sum(i => i.Size ?? 0);
        long doneObjects = 0, doneBytes = 0, copiedObjects = 0, copiedBytes = 0;
        Exception? firstFailure = null;

        if (!workflow.NeedsEntryRead)
        {
            var phase = copyCount > 0 ? "copying" : "hashing";
            await RunLoopAsync(() => Parallel.ForEachAsync(Enumerable.Range(0, count), parallel, async (i, token) =>
            {
                await StoppingOnFailureAsync(async () =>
                {
                    var head = await ReadAsync(i, token).ConfigureAwait(false);
                    if (plan.Items[i].CopyTo is not null)
                    {
                        await CopyAsync(i, head, token).ConfigureAwait(false);
                    }
                }).ConfigureAwait(false);

                progress?.Report(new ProgressUpdate(phase, Interlocked.Increment(ref doneObjects), count, Interlocked.Add(ref doneBytes, results[i].Entry.Size), totalBytes));
            })).ConfigureAwait(false);
        }
        else
        {
            // Reads first: nothing is written in this phase, so entry validation can still stop the run.
            var metadata = new ObjectMetadata?[count];
            await Parallel.ForEachAsync(Enumerable.Range(0, count), parallel, async (i, token) =>
            {
                metadata[i] = await ReadAsync(i, token).ConfigureAwait(false);
                var size = metadata[i]?.Size ?? plan.Items[i].Size ?? 0;
                progress?.Report(new ProgressUpdate("hashing", Interlocked.Increment(ref doneObjects), count, Interlocked.Add(ref doneBytes, size), totalBytes));
            }).ConfigureAwait(false);

            workflow.ValidateEntries(Enumerable.Range(0, count)
                .Select(i => new WorkflowEntry(plan.Items[i].LogicalKey, metadata[i]?.Size ?? plan.Items[i].Size ?? 0, UserMetaOf(plan.PreserveMetadata ? metadata[i] : null)))
                .ToList());

            var copies = Enumerable.Range(0, count).Where(i => plan.Items[i].CopyTo is not null).ToList();
            var copyBytes = copies.Sum(i => metadata[i]?.Size ?? plan.Items[i].Size ?? 0);
            await RunLoopAsync(() => Parallel.ForEachAsync(copies, parallel, async (i, token) =>
            {
                long size = 0;
                await StoppingOnFailureAsync(async () => size = await CopyAsync(i, metadata[i], token).ConfigureAwait(false)).ConfigureAwait(false);
                progress?.Report(new ProgressUpdate("copying", Interlocked.Increment(ref copiedObjects), copyCount, Interlocked.Add(ref copiedBytes, size), copyBytes));
            })).ConfigureAwait(false);
        }

        warnings.AddRange(overwritten.Order(StringComparer.Ordinal).Take(20).Select(k => $"Overwrote an existing object in an unversioned bucket: {k} (a rollback cannot restore it)."));
        return results;

        // A failing body stops every other body from issuing more work before the loop itself notices.
        async Task StoppingOnFailureAsync(Func<Task> body)
        {
            try
            {
                await body().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                if (e is not OperationCanceledException)
                {
                    Interlocked.CompareExchange(ref firstFailure, e, null);
                }

                await stop.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }

        // Other bodies end with cancellation once one failed: report the failure, not their cancellation.
        async Task RunLoopAsync(Func<Task> loop)
        {
            try
            {
                await loop().ConfigureAwait(false);
            }
            catch (Exception) when (Volatile.Read(ref firstFailure) is { } failure)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            }
        }

        // Hashes an object in place (its entry is then done), or heads an object to copy when its metadata or size
        // is needed. Writes nothing.
        async Task<ObjectMetadata?> ReadAsync(int i, CancellationToken token)
        {
            var item = plan.Items[i];
            if (item.CopyTo is null)
            {
                var hashed = await store.HashAsync(item.Source, HashingFor(item, scratch) with { Uploads = journal }, token).ConfigureAwait(false);
                results[i] = Entry(item, hashed.Metadata.Location, hashed.Hash, hashed.Step, hashed.Metadata.Size, hashed.Metadata);
                return hashed.Metadata;
            }

            return plan.PreserveMetadata || item.Size is null ? await store.HeadAsync(item.Source, token).ConfigureAwait(false) : null;
        }

        async Task<long> CopyAsync(int i, ObjectMetadata? head, CancellationToken token)
        {
            var item = plan.Items[i];
            token.ThrowIfCancellationRequested();
            var copyOptions = new CopyOptions
            {
                KnownSize = head?.Size ?? item.Size,
                IfMatchETag = head?.ETag ?? item.ETag,
                MultipartThreshold = _options.MultipartThreshold,
                Uploads = journal,
                StopIssuing = token,
            };
            var existed = preexisting is not null && preexisting.Contains(item.CopyTo!.Key);
            var write = journal.Intend(existed ? WriteKind.Overwrite : WriteKind.Data, item.CopyTo!);
            CopyResult copied;
            try
            {
                copied = await store.CopyAsync(item.Source, item.CopyTo!, copyOptions, settle).ConfigureAwait(false);
            }
            catch (Exception e) when (RegistryCommit.IsUncertain(e))
            {
                journal.Uncertain(write);
                throw;
            }
            catch (Exception)
            {
                journal.Refused(write);
                throw;
            }

            journal.Landed(write, copied.Destination, copied.ETag);
            if (existed)
            {
                overwritten.Add(store.ToPhysicalKey(item.CopyTo!));
            }

            QuiltHash hash;
            HashStep step;
            if (copied.Hash is not null)
            {
                (hash, step) = (copied.Hash, HashStep.CopyChecksum);
            }
            else
            {
                var hashed = await store.HashAsync(copied.Destination, new HashingOptions { SmallObjectThreshold = _options.SmallObjectThreshold, ScratchBucket = scratch, ScratchPrefix = PackageRegistry.ScratchHashPrefix, KnownSize = copied.Size, Uploads = journal }, token).ConfigureAwait(false);
                (hash, step) = (hashed.Hash, hashed.Step);
            }

            results[i] = Entry(item, copied.Destination, hash, step, copied.Size, plan.PreserveMetadata ? head : null);
            return copied.Size;
        }

        TransferredEntry Entry(PlanItem item, ObjectLocation physical, QuiltHash hash, HashStep step, long size, ObjectMetadata? meta)
        {
            var physicalKey = store.ToPhysicalKey(physical);
            var entryMeta = QuiltJsonObject.Empty;
            if (plan.PreserveMetadata)
            {
                // In place, the source URI equals the physical key: share the string rather than hold two.
                var sourceUri = plan.SourceIsS3 ? store.ToPhysicalKey(item.Source) : "";
                entryMeta = EntryMetadata.Build(meta, string.Equals(sourceUri, physicalKey, StringComparison.Ordinal) ? physicalKey : sourceUri, plan.SourceIsS3);
            }

            PackageMetadataRules.CheckEntryMetadata(item.LogicalKey, entryMeta);

            return new(new ManifestEntry(item.LogicalKey, physicalKey, size, hash, entryMeta), step, item.CopyTo is not null);
        }
    }

    private static QuiltJsonValue? UserMetaOf(ObjectMetadata? metadata) =>
        EntryMetadata.Build(metadata, "", isS3: false).TryGetValue("user_meta", out var userMeta) ? userMeta : null;

    private HashingOptions HashingFor(PlanItem item, string? scratch) => new()
    {
        SmallObjectThreshold = _options.SmallObjectThreshold,
        ScratchBucket = scratch,
        ScratchPrefix = PackageRegistry.ScratchHashPrefix,
        KnownSize = item.Size,
        KnownETag = item.ETag,
    };

    /// <summary>In an unversioned bucket a copy replaces what was there; list those keys so a rollback never deletes them.</summary>
    private static async Task<HashSet<string>?> ExistingDestinationsAsync(CreationPlan plan, CancellationToken cancellationToken)
    {
        var store = plan.SourceStore;
        var info = await store.GetBucketInfoAsync(plan.TargetBucket!, cancellationToken).ConfigureAwait(false);
        if (info.IsVersioned)
        {
            return null;
        }

        var existing = new HashSet<string>(StringComparer.Ordinal);
        if (!info.Exists)
        {
            return existing; // A local registry folder that does not exist yet holds nothing to protect.
        }

        await foreach (var obj in store.ListAsync(plan.TargetBucket!, $"{plan.Name.Namespace}/{plan.Name.Name}/", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            existing.Add(obj.Key);
        }

        return existing;
    }

    private PackageCreateResult Result(
        CreationPlan plan,
        string? topHash,
        bool dryRun,
        Stopwatch clock,
        IReadOnlyDictionary<string, long> requestsBefore,
        TransferredEntry[] entries,
        List<string> warnings)
    {
        var registry = plan.Registry;
        var (uri, catalogUrl) = CreateResults.Links(new PackageRegistryRef(registry.Store.Scheme == "s3", registry.Bucket, registry.Uri), plan.Name, topHash, _options.CatalogUrl);

        return new PackageCreateResult
        {
            PackageName = plan.Name.ToString(),
            Registry = registry.Uri,
            TopHash = topHash,
            Uri = uri,
            CatalogUrl = catalogUrl,
            DryRun = dryRun,
            Entries = plan.Items.Count,
            TotalBytes = entries.Length > 0 ? entries.Sum(e => e.Entry.Size) : plan.Items.Sum(i => i.Size ?? 0),
            ObjectsCopied = dryRun ? 0 : entries.Count(e => e.Copied),
            ObjectsReferenced = dryRun ? 0 : entries.Count(e => !e.Copied),
            HashesByStep = entries.GroupBy(e => HashStepNames.Of(e.Step)).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal),
            Skipped = plan.Skipped,
            Requests = CreateResults.RequestsSince(requestsBefore, _stores.SnapshotRequests()),
            Warnings = warnings,
            ElapsedSeconds = Math.Round(clock.Elapsed.TotalSeconds, 3),
        };
    }

    private sealed record CommonInputs(PackageName Name, PackageRegistry Registry, string? TargetBucket, QuiltJsonObject? Metadata, string? Message);
}
