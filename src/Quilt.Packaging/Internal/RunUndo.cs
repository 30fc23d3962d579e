using System.Collections.Concurrent;
using Quilt.Core.Errors;
using Quilt.Core.Naming;
using Quilt.Packaging.Registry;
using Quilt.Storage;

namespace Quilt.Packaging.Internal;

/// <summary>
/// Removes exactly what a run created, after every request it had in flight settled (DESIGN.md §3, rollback), then
/// proves it by listing. Used for a failed or cancelled run and, from its journal file, for a crashed one.
/// <list type="bullet">
/// <item>Confirmed writes are deleted by version id where the bucket keeps versions, and elsewhere only while the
/// object still carries the ETag this run wrote.</item>
/// <item>Writes whose answer was lost are looked up: versions of the key no older than the moment the write was
/// journaled (less <see cref="ClockSkew"/>), and, for pointers, only those naming this run's revision.</item>
/// <item>Nothing that the package's current <c>latest</c> references is deleted, whoever committed it: the revision this
/// run built on (a lost answer's lookup could otherwise take its versions, written within the skew, for ours), a newer
/// one, or the same revision as this run's committed by another run (in an unversioned bucket its objects are the ones
/// this run wrote: same bytes, same ETag).</item>
/// <item>Multipart uploads on the key of a data write whose answer was lost are looked up too: one may have been
/// opened without reaching the journal.</item>
/// <item>The manifest goes only when no pointer of the package names it; <c>latest</c> is never deleted.</item>
/// </list>
/// </summary>
internal static class RunUndo
{
    /// <summary>How much older than its journal entry an object of the run may look, for clocks that disagree.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(5);

    public static async Task<UndoReport> RunAsync(RunJournal journal, PackageRegistry registry, PackageName name, int concurrency, CancellationToken cancellationToken)
    {
        var store = registry.Store;
        var writes = journal.Writes().Where(w => w.State != WriteState.Refused).ToList();
        var uploads = journal.OpenUploads();
        var top = journal.Header.TopHash;
        var overwritten = writes.Where(w => w.Kind == WriteKind.Overwrite).Select(w => store.ToPhysicalKey(w.Target)).Order(StringComparer.Ordinal).ToList();

        var current = await ReadLatestOrNullAsync(registry, name, cancellationToken).ConfigureAwait(false);
        if (top is not null && current == top && writes.Any(w => w.Kind == WriteKind.Latest))
        {
            return new UndoReport(true, writes.Count, 0, 0, [], overwritten);
        }

        var protection = await ProtectionAsync(registry, current, cancellationToken).ConfigureAwait(false);
        var doomed = new ConcurrentBag<UndoTarget>();
        var failures = new ConcurrentBag<string>();

        // Data first, then pointers, then (only if no pointer names it) the manifest.
        var data = writes.Where(w => w.Kind == WriteKind.Data).ToList();
        await ResolveAsync(store, data, protection, null, doomed, concurrency, cancellationToken).ConfigureAwait(false);
        await ResolveRetriedCopiesAsync(store, data, protection, doomed, cancellationToken).ConfigureAwait(false);
        var pointers = writes.Where(w => w.Kind == WriteKind.Pointer).ToList();
        await ResolveAsync(store, pointers, UndoProtection.None, top, doomed, concurrency, cancellationToken).ConfigureAwait(false); // no manifest references a pointer
        var removed = await DeleteAsync(store, [.. doomed], failures, concurrency, cancellationToken).ConfigureAwait(false);

        var manifests = writes.Where(w => w.Kind == WriteKind.Manifest).ToList();
        var manifestDoomed = new ConcurrentBag<UndoTarget>();
        if (manifests.Count > 0 && top is not null && !await StillNamedAsync(registry, name, top, current, cancellationToken).ConfigureAwait(false))
        {
            await ResolveAsync(store, manifests, UndoProtection.None, null, manifestDoomed, concurrency, cancellationToken).ConfigureAwait(false);
            removed += await DeleteAsync(store, [.. manifestDoomed], failures, concurrency, cancellationToken).ConfigureAwait(false);
        }

        var strays = await StrayUploadsAsync(store, writes, uploads, cancellationToken).ConfigureAwait(false);
        uploads = [.. uploads, .. strays];
        var aborted = 0;
        foreach (var upload in uploads)
        {
            try
            {
                await store.AbortUploadAsync(upload, cancellationToken).ConfigureAwait(false);
                if (!strays.Contains(upload))
                {
                    journal.UploadEnded(upload);
                }

                aborted++;
            }
            catch (QuiltException e)
            {
                failures.Add($"upload {upload.UploadId} of {store.ToPhysicalKey(new ObjectLocation(upload.Bucket, upload.Key))} ({e.Message})");
            }
        }

        var leftovers = await UndoVerification.LeftoversAsync(store, [.. doomed, .. manifestDoomed], uploads, cancellationToken).ConfigureAwait(false);
        leftovers.UnionWith(failures.Where(f => f.StartsWith("upload ", StringComparison.Ordinal)));
        return new UndoReport(false, writes.Count, removed, aborted, [.. leftovers.Order(StringComparer.Ordinal)], overwritten);
    }

    private static async Task<string?> ReadLatestOrNullAsync(PackageRegistry registry, PackageName name, CancellationToken cancellationToken)
    {
        try
        {
            return await registry.ReadLatestAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (QuiltException e) when (e.Kind == QuiltErrorKind.Integrity)
        {
            return null;
        }
    }

    /// <summary>What the package's current <c>latest</c> references, whoever committed it: its entries are never deleted.</summary>
    private static async Task<UndoProtection> ProtectionAsync(PackageRegistry registry, string? current, CancellationToken cancellationToken)
    {
        if (current is null)
        {
            return UndoProtection.None;
        }

        try
        {
            var manifest = await registry.ReadManifestAsync(current, cancellationToken).ConfigureAwait(false);
            var protection = new UndoProtection(new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal), false);
            foreach (var entry in manifest.Entries)
            {
                if (!PhysicalKey.TryParse(entry.PhysicalKey, out var key))
                {
                    continue;
                }

                if (key.IsS3)
                {
                    protection.Keys.Add(PhysicalKey.S3(key.Bucket, key.Key).ToString());
                    if (key.VersionId is not null)
                    {
                        protection.Versions.Add(key.ToString());
                    }
                }
                else
                {
                    protection.Keys.Add(key.ToString());
                }
            }

            return protection;
        }
        catch (QuiltException)
        {
            // The newer revision cannot be read: protect every key rather than risk deleting what it references.
            return new UndoProtection([], [], true);
        }
    }

    /// <summary>
    /// Uploads the journal does not know of, open on the exact key of a data write whose answer was lost: a kill
    /// between CreateMultipartUpload's answer and its journal line leaves one. Their start time is not consulted (moto
    /// and other S3-compatible servers report a fixed one); the key is under this package's own prefix, so the worst
    /// case is aborting the upload of a concurrent run of the same package, which then fails and rolls back.
    /// </summary>
    private static async Task<List<MultipartUpload>> StrayUploadsAsync(IObjectStore store, List<JournaledWrite> writes, IReadOnlyList<MultipartUpload> known, CancellationToken cancellationToken)
    {
        var knownIds = known.Select(u => u.UploadId).ToHashSet(StringComparer.Ordinal);
        var strays = new List<MultipartUpload>();
        foreach (var write in writes.Where(w => w.Kind is WriteKind.Data or WriteKind.Overwrite && w.State != WriteState.Landed))
        {
            try
            {
                await foreach (var upload in store.ListUploadsAsync(write.Target.Bucket, write.Target.Key, cancellationToken).ConfigureAwait(false))
                {
                    if (upload.Key == write.Target.Key && knownIds.Add(upload.UploadId))
                    {
                        strays.Add(upload);
                    }
                }
            }
            catch (QuiltException e) when (e.Kind == QuiltErrorKind.AccessDenied)
            {
                // Not allowed to list uploads: the journaled ones are aborted all the same.
            }
        }

        return strays;
    }

    /// <summary>Whether <c>latest</c> or a timestamp pointer of the package still names the revision.</summary>
    private static async Task<bool> StillNamedAsync(PackageRegistry registry, PackageName name, string top, string? current, CancellationToken cancellationToken)
    {
        if (current == top)
        {
            return true;
        }

        var revisions = await registry.ListRevisionsAsync(name, cancellationToken).ConfigureAwait(false);
        return revisions.Any(r => r.TopHash == top);
    }

    /// <summary>Decides, per write, which object or version to delete (and how), looking up writes whose answer was lost.</summary>
    private static async Task ResolveAsync(
        IObjectStore store,
        List<JournaledWrite> writes,
        UndoProtection protection,
        string? pointerContent,
        ConcurrentBag<UndoTarget> doomed,
        int concurrency,
        CancellationToken cancellationToken)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(writes, parallel, async (write, token) =>
        {
            if (write.State == WriteState.Landed && (write.VersionId is not null || write.ETag is not null))
            {
                var location = write.Target with { VersionId = write.VersionId };
                if (!protection.Protects(store, location))
                {
                    doomed.Add(new UndoTarget(location, write.VersionId is null ? write.ETag : null));
                }

                return;
            }

            // The answer was lost (or never came): find what the write may have left.
            var since = write.Intended - ClockSkew;
            await foreach (var version in store.ListVersionsAsync(write.Target.Bucket, write.Target.Key, token).ConfigureAwait(false))
            {
                if (version.Key != write.Target.Key || version.IsDeleteMarker || version.LastModified < since)
                {
                    continue;
                }

                var location = write.Target with { VersionId = version.VersionId };
                if (version.VersionId is null && !version.IsLatest)
                {
                    continue;
                }

                if (protection.Protects(store, location))
                {
                    continue;
                }

                if (pointerContent is not null)
                {
                    var bytes = await store.TryReadAllBytesAsync(location, token).ConfigureAwait(false);
                    if (bytes is null || System.Text.Encoding.ASCII.GetString(bytes) != pointerContent)
                    {
                        continue;
                    }
                }

                doomed.Add(new UndoTarget(location, version.VersionId is null ? version.ETag : null));
            }
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// In a versioned bucket a copy the store retried after a lost answer leaves a version of its own besides the one
    /// the journal knows: a version of the key with the same ETag (the same bytes from the same source), no older than
    /// the write's journal entry, is this run's too.
    /// </summary>
    private static async Task ResolveRetriedCopiesAsync(IObjectStore store, List<JournaledWrite> data, UndoProtection protection, ConcurrentBag<UndoTarget> doomed, CancellationToken cancellationToken)
    {
        foreach (var bucket in data.Where(w => w.State == WriteState.Landed && w.VersionId is not null && w.ETag is not null).GroupBy(w => w.Target.Bucket, StringComparer.Ordinal))
        {
            var byKey = bucket.GroupBy(w => w.Target.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
            var keys = byKey.Keys.ToList();
            var prefixes = UndoVerification.ListingPrefixes(keys);
            var seen = new HashSet<(string, string)>();
            foreach (var prefix in prefixes)
            {
                await foreach (var version in store.ListVersionsAsync(bucket.Key, prefix, cancellationToken).ConfigureAwait(false))
                {
                    if (version.IsDeleteMarker || version.VersionId is null || !byKey.TryGetValue(version.Key, out var writes) || !seen.Add((version.Key, version.VersionId)))
                    {
                        continue;
                    }

                    var location = new ObjectLocation(bucket.Key, version.Key, version.VersionId);
                    var retried = writes.Any(w => w.VersionId != version.VersionId && w.ETag == version.ETag && version.LastModified >= w.Intended - ClockSkew)
                        && !writes.Any(w => w.VersionId == version.VersionId);
                    if (retried && !protection.Protects(store, location))
                    {
                        doomed.Add(new UndoTarget(location, null));
                    }
                }
            }
        }
    }

    private static async Task<int> DeleteAsync(IObjectStore store, List<UndoTarget> doomed, ConcurrentBag<string> failures, int concurrency, CancellationToken cancellationToken)
    {
        var removed = 0;
        var byVersion = doomed.Where(d => d.Location.VersionId is not null).Select(d => d.Location).ToList();
        if (byVersion.Count > 0)
        {
            var failed = await store.DeleteAsync(byVersion, cancellationToken).ConfigureAwait(false);
            removed += byVersion.Count - failed.Count;
            foreach (var (location, error) in failed)
            {
                failures.Add($"{store.ToPhysicalKey(location)} ({error})");
            }
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(doomed.Where(d => d.Location.VersionId is null && d.ETag is not null), parallel, async (d, token) =>
        {
            try
            {
                if (await store.DeleteIfMatchAsync(d.Location, d.ETag!, token).ConfigureAwait(false) == DeleteOutcome.Deleted)
                {
                    Interlocked.Increment(ref removed);
                }
            }
            catch (QuiltException e)
            {
                failures.Add($"{store.ToPhysicalKey(d.Location)} ({e.Message})");
            }
        }).ConfigureAwait(false);
        return removed;
    }

}
