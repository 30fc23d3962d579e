using System.Globalization;
using Quilt.Core.Errors;
using Quilt.Core.Naming;
using Quilt.Packaging.Registry;
using Quilt.Storage;

namespace Quilt.Packaging.Internal;

/// <summary>
/// Step 4 of the pipeline (DESIGN.md §3): manifest, timestamp pointer, then <c>latest</c>, each journaled before it is
/// sent and each written under a condition so that two runs cannot both win: the manifest and the timestamp pointer
/// only if absent (a taken second moves on to the next), <c>latest</c> only while it still has the ETag read just
/// before (or only if absent, for a new package). A <c>latest</c> write whose answer was lost is settled by reading
/// <c>latest</c> again.
/// </summary>
internal static class RegistryCommit
{
    private const int MaxPointerAttempts = 30;

    /// <summary>
    /// Commits; returns a warning to report, if any. Throws a Conflict when another revision became latest. The
    /// <paramref name="stop"/> token is checked before each write (once cancelled, nothing further is sent); each request
    /// carries <paramref name="settle"/>, so that one in flight completes and its outcome is known.
    /// </summary>
    public static async Task<string?> CommitAsync(
        PackageRegistry registry,
        PackageName name,
        string? latestAtValidation,
        bool force,
        string topHash,
        byte[] manifestBytes,
        RunJournal journal,
        TimeProvider clock,
        CancellationToken stop,
        CancellationToken settle)
    {
        stop.ThrowIfCancellationRequested();
        var (current, currentETag) = await registry.ReadLatestForUpdateAsync(name, settle).ConfigureAwait(false);
        if (!force && !string.Equals(current, latestAtValidation, StringComparison.Ordinal))
        {
            throw Moved(name, latestAtValidation, current);
        }

        journal.Committing(topHash);
        stop.ThrowIfCancellationRequested();
        var manifestLocation = new ObjectLocation(registry.Bucket, PackageRegistry.ManifestKey(topHash));
        string? reused = null;
        if (!await WriteAsync(journal, WriteKind.Manifest, manifestLocation, refusedIsFine: true,
            () => registry.CreateManifestAsync(topHash, manifestBytes, settle)).ConfigureAwait(false))
        {
            // The top hash covers names, hashes and metadata, not physical keys: the manifest already there may point at
            // other copies of the same bytes, and the revision then references those, not what this run wrote.
            var existing = await registry.Store.TryReadAllBytesAsync(manifestLocation, settle).ConfigureAwait(false);
            if (existing is not null && !existing.AsSpan().SequenceEqual(manifestBytes))
            {
                reused = $"A manifest with top hash {topHash} was already in the registry, with the same files at other physical keys (an earlier run of the same data, in place or copied); the revision uses it, so its entries point there and not at objects this run copied. Change the message or metadata to get a revision of its own.";
            }
        }

        var stamp = clock.GetUtcNow().ToUnixTimeSeconds();
        for (var attempt = 0; ; attempt++, stamp++)
        {
            stop.ThrowIfCancellationRequested();
            var pointer = stamp.ToString(CultureInfo.InvariantCulture);
            var landed = await WriteAsync(journal, WriteKind.Pointer, new ObjectLocation(registry.Bucket, PackageRegistry.PointerKey(name, pointer)), refusedIsFine: true,
                () => registry.WritePointerAsync(name, pointer, topHash, new PutOptions { IfNoneMatch = true }, settle)).ConfigureAwait(false);
            if (landed || await registry.ReadPointerAsync(name, pointer, settle).ConfigureAwait(false) == topHash)
            {
                break; // Ours, or the same revision already named in this second.
            }

            if (attempt == MaxPointerAttempts)
            {
                throw QuiltException.Conflict(
                    $"Package {name} got {MaxPointerAttempts} other revisions in the seconds after {clock.GetUtcNow().ToUnixTimeSeconds()}; no free timestamp pointer was found.",
                    "Retry in a moment.");
            }
        }

        stop.ThrowIfCancellationRequested();
        var latest = new ObjectLocation(registry.Bucket, PackageRegistry.PointerKey(name, "latest"));
        var condition = force ? new PutOptions() : current is null ? new PutOptions { IfNoneMatch = true } : new PutOptions { IfMatchETag = currentETag };
        var write = journal.Intend(WriteKind.Latest, latest);
        try
        {
            var written = await registry.WritePointerAsync(name, "latest", topHash, condition, settle).ConfigureAwait(false);
            journal.Landed(write, written.Location, written.ETag);
            journal.Commit();
            return reused;
        }
        catch (QuiltException e) when (e.Kind == QuiltErrorKind.Conflict)
        {
            // The store retries a request whose answer was lost, and the retry of a write that landed is refused by
            // its own condition: latest naming this revision means the refused write was ours.
            var now = await ReadQuietlyAsync(registry, name).ConfigureAwait(false);
            if (now == topHash)
            {
                journal.Uncertain(write);
                journal.Commit();
                return "The write of latest was refused by its condition, yet reading latest again shows it names this revision (a retried write whose first answer was lost).";
            }

            journal.Refused(write);
            throw Moved(name, current, now, e);
        }
        catch (Exception e) when (IsUncertain(e))
        {
            journal.Uncertain(write);

            // The answer was lost: latest tells whether the write landed.
            if (await ReadQuietlyAsync(registry, name).ConfigureAwait(false) == topHash)
            {
                journal.Commit();
                return $"The answer to the write of latest was lost ({e.Message}); reading latest again shows it names this revision.";
            }

            throw;
        }
        catch (Exception)
        {
            journal.Refused(write);
            throw;
        }
    }

    /// <summary>Whether a failed request may still have written (no answer), as opposed to a refusal.</summary>
    public static bool IsUncertain(Exception e) => e switch
    {
        OperationCanceledException => true,
        QuiltException q => q.Kind is QuiltErrorKind.Transient or QuiltErrorKind.Throttled or QuiltErrorKind.Cancelled,
        _ => true,
    };

    /// <summary>Sends a journaled conditional write; false when the store refused the condition (nothing written).</summary>
    private static async Task<bool> WriteAsync(RunJournal journal, WriteKind kind, ObjectLocation target, bool refusedIsFine, Func<Task<WrittenObject>> send)
    {
        var write = journal.Intend(kind, target);
        try
        {
            var written = await send().ConfigureAwait(false);
            journal.Landed(write, written.Location, written.ETag);
            return true;
        }
        catch (QuiltException e) when (e.Kind == QuiltErrorKind.Conflict && refusedIsFine)
        {
            // Refused because the key exists, which may be this very write: the store retries a request whose answer
            // was lost, and the retry of one that landed meets its own object. The rollback must look it up.
            journal.Uncertain(write);
            return false;
        }
        catch (Exception e) when (IsUncertain(e))
        {
            journal.Uncertain(write);
            throw;
        }
        catch (Exception)
        {
            journal.Refused(write);
            throw;
        }
    }

    /// <summary>
    /// Throws a Conflict when <c>latest</c> moved since validation (unless forced). Run before the first copy as well as at
    /// commit: a run that would lose the commit anyway writes nothing, and cannot overwrite objects another run just
    /// committed in an unversioned bucket.
    /// </summary>
    public static async Task EnsureUnchangedAsync(PackageRegistry registry, PackageName name, string? latestAtValidation, bool force, CancellationToken cancellationToken)
    {
        if (force)
        {
            return;
        }

        var current = await registry.ReadLatestAsync(name, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(current, latestAtValidation, StringComparison.Ordinal))
        {
            throw Moved(name, latestAtValidation, current);
        }
    }

    private static async Task<string?> ReadQuietlyAsync(PackageRegistry registry, PackageName name)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            return await registry.ReadLatestAsync(name, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is QuiltException or OperationCanceledException)
        {
            return null;
        }
    }

    private static QuiltException Moved(PackageName name, string? was, string? now, Exception? inner = null) =>
        new(
            QuiltErrorKind.Conflict,
            $"Package {name} changed during this run: latest was {was ?? "absent"} and is now {now ?? "absent"}.",
            "Someone else pushed a revision; run again to build on it, or pass force to overwrite latest.",
            inner);
}
