using System.Net;
using Quilt.Core.Errors;
using Quilt.Packaging.Contracts;

namespace Quilt.Packaging.Tests.Faults;

/// <summary>What a scenario allows the run to end with.</summary>
internal enum Outcome
{
    /// <summary>The run must fail with the scenario's error kind and roll back completely.</summary>
    Fails,

    /// <summary>Retries may carry the run through (then it must have committed cleanly); otherwise as <see cref="Fails"/>.</summary>
    FailsOrCommits,

    /// <summary>The run must commit (a fault it is built to absorb), leaving only its revision's objects.</summary>
    Commits,
}

/// <summary>Where a scenario's faults may aim: the buckets, and the run's cancellation source.</summary>
internal sealed record FaultTargets(string Source, string Registry, CancellationTokenSource Cancel)
{
    public bool IsSourceObject(HttpRequestMessage request) =>
        S3FaultInjector.Target(request) is var (bucket, key) && bucket == Source && key.StartsWith("in/", StringComparison.Ordinal);

    public bool IsSourceListing(HttpRequestMessage request) => S3FaultInjector.Target(request).Bucket == Source;

    public bool IsManifest(HttpRequestMessage request) => IsRegistryKey(request, k => k.StartsWith(".quilt/packages/", StringComparison.Ordinal));

    public bool IsPointer(HttpRequestMessage request) =>
        IsRegistryKey(request, k => k.StartsWith($".quilt/named_packages/{FaultBench.Package}/", StringComparison.Ordinal) && k[(k.LastIndexOf('/') + 1)..].All(char.IsAsciiDigit));

    public bool IsLatest(HttpRequestMessage request) => IsRegistryKey(request, k => k == $".quilt/named_packages/{FaultBench.Package}/latest");

    public bool IsBigCopy(HttpRequestMessage request) => IsRegistryKey(request, k => k.StartsWith($"{FaultBench.Package}/big-", StringComparison.Ordinal));

    private bool IsRegistryKey(HttpRequestMessage request, Func<string, bool> key) =>
        S3FaultInjector.Target(request) is var (bucket, k) && bucket == Registry && key(k);
}

/// <summary>
/// A fault point (where in the run) and kind (what goes wrong), with the outcome it allows. <see cref="Arm"/> installs
/// the rules on a fresh injector.
/// </summary>
internal sealed record FaultScenario(string Name, string Phase, Selection Selection, Outcome Outcome, QuiltErrorKind ErrorKind, Action<S3FaultInjector, FaultTargets> Arm)
{
    /// <summary>Operations a rollback needs; a throttling storm leaves them alone so that the run's own handling is what is tested.</summary>
    private static readonly string[] StormOperations = ["HeadObject", "GetObject", "ListObjectsV2", "CopyObject", "UploadPartCopy", "CreateMultipartUpload", "CompleteMultipartUpload", "PutObject"];

    public static IReadOnlyList<FaultScenario> All { get; } =
    [
        // Listing (before any write): page 2 of the source listing fails.
        new("list-page2-500", "listing", Selection.Many, Outcome.Fails, QuiltErrorKind.Transient, (f, t) =>
            f.ListPagesOf(50).On(new FaultRule("ListObjectsV2", FaultKind.Error) { Where = t.IsSourceListing, Skip = 1 })),
        new("list-page2-reset", "listing", Selection.Many, Outcome.Fails, QuiltErrorKind.Transient, (f, t) =>
            f.ListPagesOf(50).On(new FaultRule("ListObjectsV2", FaultKind.ResetBeforeSend) { Where = t.IsSourceListing, Skip = 1 })),

        // Hashing and reading: the Nth HEAD (copy) or GET (in place) of a source object fails, and every one after it.
        new("head-50-500", "hashing", Selection.Many, Outcome.Fails, QuiltErrorKind.Transient, (f, t) =>
            f.On(new FaultRule("HeadObject", FaultKind.Error) { Where = t.IsSourceObject, Skip = 49, Delay = TimeSpan.FromMilliseconds(100) })),
        new("get-50-500", "hashing", Selection.Many, Outcome.Fails, QuiltErrorKind.Transient, (f, t) =>
            f.On(new FaultRule("GetObject", FaultKind.Error) { Where = t.IsSourceObject, Skip = 49 })),
        new("get-50-reset", "hashing", Selection.Many, Outcome.Fails, QuiltErrorKind.Transient, (f, t) =>
            f.On(new FaultRule("GetObject", FaultKind.ResetBeforeSend) { Where = t.IsSourceObject, Skip = 49 })),
        new("big-hash-partcopy-500", "hashing", Selection.Many, Outcome.FailsOrCommits, QuiltErrorKind.Transient, (f, t) =>
            f.On(new FaultRule("UploadPartCopy", FaultKind.Error) { Skip = 1 })),

        // Copying, with 32 copies in flight: the Nth fails, its answer is lost, a multipart copy fails mid-way.
        new("copy-40-500", "copying", Selection.Many, Outcome.Fails, QuiltErrorKind.Transient, (f, t) =>
            f.On(new FaultRule("CopyObject", FaultKind.Error) { Skip = 39, Delay = TimeSpan.FromMilliseconds(100) })),
        new("copy-40-reset", "copying", Selection.Many, Outcome.Fails, QuiltErrorKind.Transient, (f, t) =>
            f.On(new FaultRule("CopyObject", FaultKind.ResetBeforeSend) { Skip = 39 })),
        new("copy-40-lost-then-manifest-500", "copying", Selection.Many, Outcome.Fails, QuiltErrorKind.Transient, (f, t) =>
            f.On(new FaultRule("CopyObject", FaultKind.LostAnswer) { Skip = 39, Times = 1 })
             .On(new FaultRule("PutObject", FaultKind.Error) { Where = t.IsManifest })),
        new("partcopy-2-500", "copying", Selection.Many, Outcome.Fails, QuiltErrorKind.Transient, (f, t) =>
            f.On(new FaultRule("UploadPartCopy", FaultKind.Error) { Where = t.IsBigCopy, Skip = 1 })),
        new("complete-500", "copying", Selection.Many, Outcome.Fails, QuiltErrorKind.Transient, (f, t) =>
            f.On(new FaultRule("CompleteMultipartUpload", FaultKind.Error) { Where = t.IsBigCopy })),
        new("complete-lost-then-manifest-500", "copying", Selection.Many, Outcome.Fails, QuiltErrorKind.Transient, (f, t) =>
            f.On(new FaultRule("CompleteMultipartUpload", FaultKind.LostAnswer) { Where = t.IsBigCopy, Times = 1 })
             .On(new FaultRule("PutObject", FaultKind.Error) { Where = t.IsManifest })),
        new("storm-slowdown", "copying", Selection.Many, Outcome.FailsOrCommits, QuiltErrorKind.Throttled, (f, t) =>
        {
            var random = new Random(7);
            var gate = new Lock();
            foreach (var operation in StormOperations)
            {
                f.On(new FaultRule(operation, FaultKind.Error)
                {
                    Status = HttpStatusCode.ServiceUnavailable,
                    Code = "SlowDown",
                    Where = _ =>
                    {
                        lock (gate)
                        {
                            return random.NextDouble() < 0.25;
                        }
                    },
                });
            }
        }),

        // Commit: manifest, timestamp pointer, latest; refused, reset, or carried out with the answer lost.
        new("manifest-500", "commit", Selection.Few, Outcome.Fails, QuiltErrorKind.Transient, (f, t) =>
            f.On(new FaultRule("PutObject", FaultKind.Error) { Where = t.IsManifest })),
        new("manifest-reset", "commit", Selection.Few, Outcome.Fails, QuiltErrorKind.Transient, (f, t) =>
            f.On(new FaultRule("PutObject", FaultKind.ResetBeforeSend) { Where = t.IsManifest })),
        new("pointer-500", "commit", Selection.Few, Outcome.Fails, QuiltErrorKind.Transient, (f, t) =>
            f.On(new FaultRule("PutObject", FaultKind.Error) { Where = t.IsPointer })),
        new("latest-500", "commit", Selection.Few, Outcome.Fails, QuiltErrorKind.Transient, (f, t) =>
            f.On(new FaultRule("PutObject", FaultKind.Error) { Where = t.IsLatest })),
        new("manifest-lost-then-pointer-500", "commit", Selection.Few, Outcome.Fails, QuiltErrorKind.Transient, (f, t) =>
            f.On(new FaultRule("PutObject", FaultKind.LostAnswer) { Where = t.IsManifest, Times = 1 })
             .On(new FaultRule("PutObject", FaultKind.Error) { Where = t.IsPointer })),
        new("pointer-lost-then-latest-500", "commit", Selection.Few, Outcome.Fails, QuiltErrorKind.Transient, (f, t) =>
            f.On(new FaultRule("PutObject", FaultKind.LostAnswer) { Where = t.IsPointer, Times = 1 })
             .On(new FaultRule("PutObject", FaultKind.Error) { Where = t.IsLatest })),
        new("latest-lost", "commit", Selection.Few, Outcome.Commits, QuiltErrorKind.Transient, (f, t) =>
            f.On(new FaultRule("PutObject", FaultKind.LostAnswer) { Where = t.IsLatest, Times = 1 })),

        // Cancellation: while 32 copies are in flight, during a multipart copy, during the commit.
        new("cancel-copy-40", "cancellation", Selection.Many, Outcome.Fails, QuiltErrorKind.Cancelled, (f, t) =>
            f.On(new FaultRule("CopyObject", FaultKind.Callback) { Skip = 39, Times = 1, Callback = t.Cancel.CancelAsync })),
        new("cancel-partcopy", "cancellation", Selection.Many, Outcome.Fails, QuiltErrorKind.Cancelled, (f, t) =>
            f.On(new FaultRule("UploadPartCopy", FaultKind.Callback) { Where = t.IsBigCopy, Times = 1, Callback = t.Cancel.CancelAsync })),
        new("cancel-manifest", "cancellation", Selection.Few, Outcome.Fails, QuiltErrorKind.Cancelled, (f, t) =>
            f.On(new FaultRule("PutObject", FaultKind.Callback) { Where = t.IsManifest, Times = 1, Callback = t.Cancel.CancelAsync })),
        new("cancel-latest", "cancellation", Selection.Few, Outcome.FailsOrCommits, QuiltErrorKind.Cancelled, (f, t) =>
            f.On(new FaultRule("PutObject", FaultKind.Callback) { Where = t.IsLatest, Times = 1, Callback = t.Cancel.CancelAsync })),
    ];

    /// <summary>Copy modes each fault point runs with: copy all everywhere copies exist; copy none where reading or committing is the point.</summary>
    private static readonly Dictionary<string, CopyMode[]> Modes = new(StringComparer.Ordinal)
    {
        ["list-page2-500"] = [CopyMode.All, CopyMode.None],
        ["list-page2-reset"] = [CopyMode.None],
        ["head-50-500"] = [CopyMode.All],
        ["get-50-500"] = [CopyMode.None],
        ["get-50-reset"] = [CopyMode.None],
        ["big-hash-partcopy-500"] = [CopyMode.None],
        ["storm-slowdown"] = [CopyMode.All, CopyMode.None],
        ["manifest-500"] = [CopyMode.All, CopyMode.None],
        ["manifest-reset"] = [CopyMode.All],
        ["pointer-500"] = [CopyMode.All, CopyMode.None],
        ["latest-500"] = [CopyMode.All, CopyMode.None],
        ["manifest-lost-then-pointer-500"] = [CopyMode.All, CopyMode.None],
        ["pointer-lost-then-latest-500"] = [CopyMode.All, CopyMode.None],
        ["latest-lost"] = [CopyMode.All, CopyMode.None],
        ["cancel-manifest"] = [CopyMode.All, CopyMode.None],
        ["cancel-latest"] = [CopyMode.All, CopyMode.None],
    };

    public static FaultScenario Named(string name) => All.Single(s => s.Name == name);

    /// <summary>Theory rows (scenario, versioned registry, copy mode) for the fault points of one phase.</summary>
    public static TheoryData<string, bool, CopyMode> Rows(string phase)
    {
        var rows = new TheoryData<string, bool, CopyMode>();
        foreach (var scenario in All.Where(s => s.Phase == phase))
        {
            foreach (var versioned in new[] { true, false })
            {
                foreach (var copy in Modes.GetValueOrDefault(scenario.Name, [CopyMode.All]))
                {
                    rows.Add(scenario.Name, versioned, copy);
                }
            }
        }

        return rows;
    }
}
