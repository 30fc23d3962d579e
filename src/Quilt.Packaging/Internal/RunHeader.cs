namespace Quilt.Packaging.Internal;

/// <summary>The first line of a run's journal: enough to tell a live run from a dead one and to undo the dead one.</summary>
/// <param name="RunId">A fresh id per run; the journal file's name.</param>
/// <param name="ProcessId">The process that ran it.</param>
/// <param name="ProcessStarted">When that process started, so that a reused process id is not mistaken for the run.</param>
/// <param name="Registry">The registry URI (<c>s3://bucket</c> or <c>file:///…</c>).</param>
/// <param name="Package">The package name.</param>
/// <param name="LatestAtStart">What <c>latest</c> named when the run was validated; null for a new package.</param>
/// <param name="Started">When the run began writing.</param>
/// <param name="TopHash">The revision being committed, once known.</param>
internal sealed record RunHeader(
    string RunId,
    int ProcessId,
    DateTimeOffset? ProcessStarted,
    string Registry,
    string Package,
    string? LatestAtStart,
    DateTimeOffset Started,
    string? TopHash);
