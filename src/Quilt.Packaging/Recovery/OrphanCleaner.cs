using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Quilt.Core.Errors;
using Quilt.Core.Naming;
using Quilt.Packaging.Contracts;
using Quilt.Packaging.Internal;
using Quilt.Packaging.Registry;
using Quilt.Storage;

namespace Quilt.Packaging.Recovery;

/// <summary>
/// Undoes runs that were killed before they could roll back (DESIGN.md §3, crash safety): reads their journals from the
/// state folder, leaves runs whose process is alive alone, removes what the dead ones wrote exactly as a rollback would,
/// aborts their multipart uploads, and deletes each journal once a listing shows nothing of its run left. Scratch
/// uploads for hashing (under <see cref="PackageRegistry.ScratchHashPrefix"/>) older than <see cref="AbandonedUploadAge"/>
/// are aborted too: nothing else writes there.
/// </summary>
public sealed class OrphanCleaner
{
    /// <summary>A scratch upload this old belongs to no live run (a hashing upload lives seconds).</summary>
    public static readonly TimeSpan AbandonedUploadAge = TimeSpan.FromHours(1);

    private readonly StoreProvider _stores;
    private readonly PackagingOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a cleaner over the given stores, with the state folder of <paramref name="options"/>.</summary>
    public OrphanCleaner(StoreProvider stores, PackagingOptions? options = null, ILogger? logger = null)
    {
        _stores = stores;
        _options = options ?? new PackagingOptions();
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Cleans up after every interrupted run against <paramref name="registry"/> (or only those of <paramref name="package"/>).</summary>
    public Task<CleanupResult> CleanupAsync(StorageLocation registry, string? package = null, CancellationToken cancellationToken = default) =>
        CleanupAsync(_stores.OpenRegistry(registry), package, cancellationToken);

    /// <summary>Cleans up after interrupted runs against an open registry (the create pipeline's first step).</summary>
    internal async Task<CleanupResult> CleanupAsync(PackageRegistry target, string? package, CancellationToken cancellationToken)
    {
        int found = 0, live = 0, cleaned = 0, removed = 0, aborted = 0;
        var leftovers = new List<string>();
        foreach (var path in JournalPaths())
        {
            var journal = RunJournal.Load(path, _options.Clock);
            if (journal is null || journal.Header.Registry != target.Uri || (package is not null && journal.Header.Package != package))
            {
                journal?.Dispose();
                continue;
            }

            using (journal)
            {
                found++;
                if (IsAlive(journal.Header))
                {
                    live++;
                    continue;
                }

                if (!PackageName.TryParse(journal.Header.Package, out var name))
                {
                    continue;
                }

                if (journal.Committed)
                {
                    journal.Discard();
                    cleaned++;
                    continue;
                }

                var report = await RunUndo.RunAsync(journal, target, name!, _options.Concurrency, cancellationToken).ConfigureAwait(false);
                removed += report.Removed;
                aborted += report.UploadsAborted;
                leftovers.AddRange(report.Leftovers);
                if (report.Committed || report.Leftovers.Count == 0)
                {
                    journal.Discard();
                    cleaned++;
                }

                if (_logger.IsEnabled(LogLevel.Information))
                {
                    _logger.LogInformation("Cleaned up interrupted run {Run} of {Package}: removed {Removed}, aborted {Aborted}, left {Left}", journal.Header.RunId, name, report.Removed, report.UploadsAborted, report.Leftovers.Count);
                }
            }
        }

        if (package is null)
        {
            aborted += await AbortAbandonedScratchUploadsAsync(target, cancellationToken).ConfigureAwait(false);
        }

        return new CleanupResult(target.Uri, _options.StateDirectory, found, live, cleaned, removed, aborted, leftovers);
    }

    private List<string> JournalPaths()
    {
        if (string.IsNullOrEmpty(_options.StateDirectory))
        {
            return [];
        }

        var folder = Path.Combine(_options.StateDirectory, "runs");
        return Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*.jsonl").Order(StringComparer.Ordinal).ToList() : [];
    }

    private async Task<int> AbortAbandonedScratchUploadsAsync(PackageRegistry registry, CancellationToken cancellationToken)
    {
        if (registry.Store.Scheme != "s3")
        {
            return 0;
        }

        var before = _options.Clock.GetUtcNow() - AbandonedUploadAge;
        var aborted = 0;
        try
        {
            await foreach (var upload in registry.Store.ListUploadsAsync(registry.Bucket, PackageRegistry.ScratchHashPrefix, cancellationToken).ConfigureAwait(false))
            {
                if (upload.Initiated is { } initiated && initiated < before)
                {
                    await registry.Store.AbortUploadAsync(upload, cancellationToken).ConfigureAwait(false);
                    aborted++;
                }
            }
        }
        catch (QuiltException e) when (e.Kind == QuiltErrorKind.AccessDenied)
        {
            if (_logger.IsEnabled(LogLevel.Information))
            {
                _logger.LogInformation("Cannot list multipart uploads in {Registry}: {Message}", registry.Uri, e.Message);
            }
        }

        return aborted;
    }

    /// <summary>
    /// A run is alive while its process is (same id and, where known, same start time: ids are reused) and, in this
    /// process, while the run itself is in progress.
    /// </summary>
    private static bool IsAlive(RunHeader header)
    {
        if (header.ProcessId == Environment.ProcessId)
        {
            return RunJournal.IsActiveInThisProcess(header.RunId);
        }

        try
        {
            using var process = Process.GetProcessById(header.ProcessId);
            if (process.HasExited)
            {
                return false;
            }

            return header.ProcessStarted is not { } started
                || Math.Abs((process.StartTime.ToUniversalTime() - started.UtcDateTime).TotalSeconds) < 2;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
