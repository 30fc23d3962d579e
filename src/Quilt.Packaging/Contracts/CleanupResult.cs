namespace Quilt.Packaging.Contracts;

/// <summary>What a cleanup of interrupted runs found and did in one registry.</summary>
/// <param name="Registry">The registry URI.</param>
/// <param name="StateDirectory">Where run journals were looked for; null when none is configured.</param>
/// <param name="RunsFound">Journals of runs against this registry.</param>
/// <param name="RunsStillRunning">Of those, runs whose process is still alive: left alone.</param>
/// <param name="RunsCleaned">Interrupted runs whose objects were removed (or that had committed) and whose journal was deleted.</param>
/// <param name="ObjectsRemoved">Objects and versions removed.</param>
/// <param name="UploadsAborted">Multipart uploads aborted: journaled ones, and scratch uploads older than an hour.</param>
/// <param name="Leftovers">What a listing afterwards still shows of interrupted runs (their journals are kept for another try).</param>
public sealed record CleanupResult(
    string Registry,
    string? StateDirectory,
    int RunsFound,
    int RunsStillRunning,
    int RunsCleaned,
    int ObjectsRemoved,
    int UploadsAborted,
    IReadOnlyList<string> Leftovers);
