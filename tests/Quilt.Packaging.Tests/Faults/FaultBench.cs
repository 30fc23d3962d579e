using Amazon.S3;
using Amazon.S3.Model;
using Quilt.Core.Errors;
using Quilt.Core.Hashing;
using Quilt.Core.Naming;
using Quilt.Packaging.Contracts;
using Quilt.Storage;
using Quilt.Testing;

namespace Quilt.Packaging.Tests.Faults;

/// <summary>Which source objects a faulty run packages.</summary>
internal enum Selection
{
    /// <summary>All 150 small objects and both 8 MiB + 1 objects.</summary>
    Many,

    /// <summary>40 small objects (for faults at commit, where the count matters less).</summary>
    Few,
}

/// <summary>
/// One registry bucket on moto with a committed prior revision of <see cref="Package"/>, a shared source bucket, a
/// per-test state folder, and the checks every fault test makes afterwards: the version listing, the open uploads,
/// the journal folder, and whether the error message tells the truth about them.
/// </summary>
internal sealed class FaultBench : IDisposable
{
    public const string Package = "fault/pkg";
    public const int SmallObjects = 150;
    public const int BigSize = (8 * 1024 * 1024) + 1;

    private static readonly Lock SeedGate = new();
    private static readonly Dictionary<MotoServer, Task<string>> Sources = [];
    private readonly List<IDisposable> _owned = [];

    private FaultBench(MotoServer server, string source, string registry, bool versioned, AmazonS3Client raw, string stateDirectory)
    {
        Server = server;
        Source = source;
        Registry = registry;
        Versioned = versioned;
        Raw = raw;
        StateDirectory = stateDirectory;
        _owned.Add(raw);
    }

    public MotoServer Server { get; }

    /// <summary>The shared, unversioned source bucket (never written by the runs).</summary>
    public string Source { get; }

    public string Registry { get; }

    public bool Versioned { get; }

    public AmazonS3Client Raw { get; }

    public string StateDirectory { get; }

    public string? PriorTop { get; private set; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// A fresh registry (versioned or not) with, unless <paramref name="withPrior"/> is false, a prior revision of
    /// <see cref="Package"/> committed by a fault-free store: copied objects and pointers that a faulty run must not
    /// disturb. In a versioned registry the prior revision shares a key with the faulty run (a newer version of it must go).
    /// </summary>
    public static async Task<FaultBench> StartAsync(MotoServer server, bool versioned, bool withPrior = true)
    {
        var source = await SourceAsync(server);
        var registry = await server.CreateBucketAsync(versioned, Ct);
        var state = Directory.CreateTempSubdirectory("quilt-faults-").FullName;
        var bench = new FaultBench(server, source, registry, versioned, server.CreateRawClient(), state);
        if (withPrior)
        {
            var result = await bench.CleanOperations().CreateFromS3Async(new CreateFromS3Request
            {
                Source = StorageLocation.Parse($"s3://{source}/prior/"),
                PackageName = Package,
                TargetRegistry = StorageLocation.S3(registry),
                Copy = CopyMode.All,
                Message = "prior",
                ExcludePatterns = versioned ? [] : ["obj-*"],
            }, cancellationToken: Ct);
            bench.PriorTop = result.TopHash;
        }

        return bench;
    }

    /// <summary>Operations on a store without faults.</summary>
    public DirectQuiltOperations CleanOperations(PackagingOptions? options = null)
    {
        var store = Server.CreateStore();
        _owned.Add(store);
        return new DirectQuiltOperations(new StoreProvider(new LocalObjectStore(), () => store), options ?? Options());
    }

    /// <summary>Operations on a store whose requests pass through a fault injector; default concurrency (32).</summary>
    public (DirectQuiltOperations Operations, S3FaultInjector Faults) FaultyOperations()
    {
        S3FaultInjector? faults = null;
        var store = Server.CreateStore(o => o with { HttpHandlerWrapper = inner => faults = new S3FaultInjector(inner) });
        _owned.Add(store);
        return (new DirectQuiltOperations(new StoreProvider(new LocalObjectStore(), () => store), Options()), faults!);
    }

    public PackagingOptions Options() => new() { StateDirectory = StateDirectory };

    public CreateFromS3Request Request(CopyMode copy, Selection selection = Selection.Many, string prefix = "in/") => new()
    {
        Source = StorageLocation.Parse($"s3://{Source}/{prefix}"),
        PackageName = Package,
        TargetRegistry = StorageLocation.S3(Registry),
        Copy = copy,
        Message = "faulty run",
        IncludePatterns = selection == Selection.Few ? ["obj-00*", "obj-01*", "obj-02*", "obj-03*"] : [],
    };

    public Task<RegistrySnapshot> SnapshotAsync() => RegistrySnapshot.TakeAsync(Raw, Registry, Ct);

    /// <summary>
    /// After a failed run: the message tells the truth about what a listing shows, the listing equals the one from
    /// before the run (every version, delete marker and which version is latest), no upload is open, and no journal is kept.
    /// </summary>
    public async Task AssertRolledBackAsync(QuiltException error, RegistrySnapshot before)
    {
        var after = await SnapshotAsync();
        AssertMessageTruthful(error.Message, before, after);
        Diff(before, after).ShouldBeEmpty($"the registry's versions changed. Error: {error.Message}");
        after.Uploads.ShouldBeEmpty($"multipart uploads were left open. Error: {error.Message}");
        JournalFiles().ShouldBeEmpty("a clean rollback deletes its journal");
    }

    /// <summary>
    /// After a run that committed despite faults: <c>latest</c> names it, it verifies, nothing of before is gone (but
    /// the overwritten <c>latest</c> of an unversioned bucket), and everything added is the revision's own: its
    /// manifest, one timestamp pointer, <c>latest</c>, and objects its entries reference. No upload is open.
    /// </summary>
    public async Task AssertCommittedAsync(PackageCreateResult result, RegistrySnapshot before)
    {
        result.TopHash.ShouldNotBeNull();
        var clean = CleanOperations();
        var browse = await clean.BrowseAsync(Package, StorageLocation.S3(Registry), cancellationToken: Ct);
        browse.TopHash.ShouldBe(result.TopHash, "latest names the committed revision");
        (await clean.VerifyAsync(Package, StorageLocation.S3(Registry), cancellationToken: Ct)).IsValid.ShouldBeTrue();

        var after = await SnapshotAsync();
        after.Uploads.ShouldBeEmpty();
        var latestKey = $".quilt/named_packages/{Package}/latest";
        after.RemovedSince(before).Where(v => Versioned || v.Key != latestKey).ShouldBeEmpty("a committed run removes nothing");

        var referenced = browse.Entries.Select(e => PhysicalKey.Parse(e.PhysicalKey)).Where(k => k.Bucket == Registry).ToList();
        var pointers = 0;
        foreach (var row in after.AddedSince(before))
        {
            if (row.Key == $".quilt/packages/{result.TopHash}" || row.Key == latestKey)
            {
                continue;
            }

            if (row.Key.StartsWith($".quilt/named_packages/{Package}/", StringComparison.Ordinal))
            {
                pointers++;
                (await ReadAsync(row.Key, Versioned ? row.VersionId : null)).ShouldBe(result.TopHash, $"pointer {row.Key} names another revision");
                continue;
            }

            referenced.ShouldContain(k => k.Key == row.Key && (!Versioned || k.VersionId == row.VersionId), $"{row} is garbage: no entry of the committed revision references it");
        }

        pointers.ShouldBe(1, "exactly one timestamp pointer is added");
    }

    /// <summary>
    /// Runs <paramref name="scenario"/> against this registry with <paramref name="copy"/>, then checks the outcome: a
    /// failure of the expected kind rolled back completely and truthfully, or (where the scenario allows it) a clean commit.
    /// </summary>
    public async Task RunScenarioAsync(FaultScenario scenario, CopyMode copy)
    {
        var before = await SnapshotAsync();
        before.Uploads.ShouldBeEmpty();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var (operations, faults) = FaultyOperations();
        scenario.Arm(faults, new FaultTargets(Source, Registry, cancel));

        PackageCreateResult? result = null;
        QuiltException? error = null;
        try
        {
            result = await operations.CreateFromS3Async(Request(copy, scenario.Selection), cancellationToken: cancel.Token);
        }
        catch (QuiltException e)
        {
            error = e;
        }

        faults.Fired.ShouldBeGreaterThan(0, $"the fault of {scenario.Name} never fired");
        if (error is null)
        {
            scenario.Outcome.ShouldNotBe(Outcome.Fails, $"{scenario.Name} was expected to fail, but the run committed {result!.TopHash}");
            await AssertCommittedAsync(result!, before);
            return;
        }

        scenario.Outcome.ShouldNotBe(Outcome.Commits, $"{scenario.Name} was expected to commit: {error}");
        error.Kind.ShouldBe(scenario.ErrorKind, error.ToString());
        await AssertRolledBackAsync(error, before);
    }

    /// <summary>Downloads every entry of the revision with the raw client and rehashes the bytes.</summary>
    public async Task AssertHashesVerifyAsync(PackageBrowseResult browse)
    {
        foreach (var entry in browse.Entries)
        {
            var key = PhysicalKey.Parse(entry.PhysicalKey);
            using var response = await Raw.GetObjectAsync(new GetObjectRequest { BucketName = key.Bucket, Key = key.Key, VersionId = key.VersionId }, Ct);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, Ct);
            ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, buffer.ToArray()).Value.ShouldBe(entry.HashValue, $"{entry.LogicalKey} ({entry.PhysicalKey}) does not match its hash");
        }
    }

    public IReadOnlyList<string> JournalFiles()
    {
        var runs = Path.Combine(StateDirectory, "runs");
        return Directory.Exists(runs) ? Directory.GetFiles(runs) : [];
    }

    /// <summary>What the message says was left must be what the listing shows.</summary>
    public static void AssertMessageTruthful(string message, RegistrySnapshot before, RegistrySnapshot after)
    {
        var added = after.Versions.Except(before.Versions).ToList();
        var leftSomething = added.Count > 0 || after.Uploads.Count > 0 || before.Versions.Except(after.Versions).Any();
        const string leftMarker = " of this run: ";
        if (message.Contains("Rollback left", StringComparison.Ordinal))
        {
            leftSomething.ShouldBeTrue($"the message names leftovers that the listing does not show: {message}");
            var start = message.IndexOf(leftMarker, StringComparison.Ordinal) + leftMarker.Length;
            var end = message.IndexOf("; ", start, StringComparison.Ordinal);
            foreach (var named in message[start..end].Split(", ").Select(n => n.Split(" and ")[0]))
            {
                if (named.StartsWith("upload ", StringComparison.Ordinal))
                {
                    after.Uploads.ShouldContain(u => u.Contains(named.Split(' ')[1], StringComparison.Ordinal), $"named upload is not open: {named}");
                    continue;
                }

                var key = PhysicalKey.Parse(named);
                added.ShouldContain(v => v.Key == key.Key && (key.VersionId == null || v.VersionId == key.VersionId), $"named leftover is not in the listing: {named}");
            }
        }
        else if (message.Contains("could not finish", StringComparison.Ordinal))
        {
            // Says that objects may remain, which is true whatever the listing shows.
        }
        else
        {
            // "nothing was left behind", "Nothing was written", or (a failure before the run's first write) no claim at all.
            leftSomething.ShouldBeFalse($"the message says or implies that nothing was left, but the listing differs: {message}\n{Diff(before, after)}");
        }
    }

    /// <summary>Versions added (+) and gone or changed (-), and open uploads, for failure messages.</summary>
    public static string Diff(RegistrySnapshot before, RegistrySnapshot after) => string.Join(
        '\n',
        after.Versions.Except(before.Versions).Select(v => "+ " + v)
            .Concat(before.Versions.Except(after.Versions).Select(v => "- " + v))
            .Concat(after.Uploads.Select(u => "open " + u)));

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        try
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<string> ReadAsync(string key, string? versionId)
    {
        using var response = await Raw.GetObjectAsync(new GetObjectRequest { BucketName = Registry, Key = key, VersionId = versionId }, Ct);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync(Ct);
    }

    /// <summary>The source bucket, seeded once per moto server: <c>in/</c> (150 × 2 KiB, 2 × 8 MiB + 1), <c>prior/</c>, <c>race/a|b/</c>.</summary>
    private static Task<string> SourceAsync(MotoServer server)
    {
        lock (SeedGate)
        {
            if (!Sources.TryGetValue(server, out var task))
            {
                Sources[server] = task = SeedAsync(server);
            }

            return task;
        }
    }

    private static async Task<string> SeedAsync(MotoServer server)
    {
        var bucket = await server.CreateBucketAsync(versioned: false, CancellationToken.None);
        using var store = server.CreateStore();
        var objects = new List<(string Key, byte[] Content)>();
        for (var i = 0; i < SmallObjects; i++)
        {
            objects.Add(($"in/obj-{i:000}.txt", Text($"object {i} of the faulty run\n", 2048)));
        }

        for (var i = 0; i < 2; i++)
        {
            var big = new byte[BigSize];
            new Random(i).NextBytes(big);
            objects.Add(($"in/big-{i}.bin", big));
        }

        objects.Add(("prior/obj-000.txt", Text("prior revision's object 0\n", 1024)));
        objects.Add(("prior/p-1.txt", Text("prior revision's p-1\n", 1024)));
        objects.Add(("prior/p-2.txt", Text("prior revision's p-2\n", 1024)));
        for (var i = 0; i < 6; i++)
        {
            objects.Add(($"race/a/f-{i}.txt", Text($"racer a, file {i}\n", 512)));
            objects.Add(($"race/b/f-{i}.txt", Text($"racer b, file {i}\n", 512)));
        }

        await store.SeedAsync(bucket, objects, parallelism: 16, CancellationToken.None);
        return bucket;
    }

    private static byte[] Text(string line, int size)
    {
        var bytes = new byte[size];
        var pattern = System.Text.Encoding.UTF8.GetBytes(line);
        for (var i = 0; i < size; i++)
        {
            bytes[i] = pattern[i % pattern.Length];
        }

        return bytes;
    }
}
