using System.Text;
using Quilt.Core.Errors;
using Quilt.Packaging.Contracts;
using Quilt.Storage;
using Quilt.Testing;

namespace Quilt.Packaging.Tests.Pipeline;

/// <summary>
/// Rollback and commit where two ordinary things meet: another run committing between two steps of this one, a write
/// whose answer was lost after it landed, an earlier revision overwritten in an unversioned bucket, two revisions in one
/// second. Each is staged at its exact point by an <see cref="InterceptingStore"/>, in a local folder and in moto
/// buckets with and without versioning, and checked by listing every object version (or file) around the code.
/// </summary>
public sealed class PackageCreatorRollbackTests(MotoFixture moto) : IDisposable
{
    private const string Package = "demo/pkg";
    private readonly string _state = Directory.CreateTempSubdirectory("quilt-state-").FullName;

    public static TheoryData<RegistryKind> Kinds() => new(RegistryKind.Local, RegistryKind.Unversioned, RegistryKind.Versioned);

    public static TheoryData<RegistryKind> UnversionedKinds() => new(RegistryKind.Local, RegistryKind.Unversioned);

    private PackagingOptions Options(int concurrency = 32) => new() { Concurrency = concurrency, StateDirectory = _state };

    private static CreateFromS3Request Request(RegistryWorld world, CopyMode copy = CopyMode.All) => new()
    {
        Source = StorageLocation.Parse(world.SourceUri),
        PackageName = Package,
        TargetRegistry = StorageLocation.Parse(world.Registry),
        Copy = copy,
    };

    private static async Task SeedAsync(RegistryWorld world, int count, string tag = "")
    {
        for (var i = 0; i < count; i++)
        {
            await world.WriteSourceAsync($"f{i:D2}.txt", $"object {i}{tag}");
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task CreateFromS3_OtherRunCommitsBeforeTheFirstCopy_ConflictWithoutAnyCopy(RegistryKind kind)
    {
        using var world = await RegistryWorld.CreateAsync(kind, moto, Options());
        await SeedAsync(world, 6);
        IReadOnlyList<string>? afterOther = null;
        var latestReads = 0;
        world.Store.AfterRead = async location =>
        {
            // The first read of latest is the validation; the other run commits right after it.
            if (location.Key.EndsWith("/latest", StringComparison.Ordinal) && Interlocked.Increment(ref latestReads) == 1)
            {
                await world.Plain.CreateFromS3Async(Request(world), cancellationToken: TestContext.Current.CancellationToken);
                afterOther = await world.RegistryVersionsAsync();
            }
        };

        var error = await Should.ThrowAsync<QuiltException>(() => world.Operations.CreateFromS3Async(Request(world), cancellationToken: TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.Conflict);
        world.Store.Copies.ShouldBe(0);
        (await world.RegistryVersionsAsync()).ShouldBe(afterOther);
        error.Message.ShouldContain("Nothing was written.");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task CreateFromS3_OtherRunCommitsWhileThisOneCopies_FailedRunKeepsTheOtherRunsObjects(RegistryKind kind)
    {
        // One copy at a time, so that the listing taken inside the hook holds nothing of this run yet.
        using var world = await RegistryWorld.CreateAsync(kind, moto, Options(concurrency: 1));
        await SeedAsync(world, 8);
        IReadOnlyList<string>? afterOther = null;
        string? otherTop = null;
        world.Store.BeforeCopy = async (number, _) =>
        {
            if (number == 1)
            {
                // Same name, same objects: in an unversioned bucket the other run's copies are byte for byte (and ETag
                // for ETag) what this run writes, so only knowing what latest references protects them.
                otherTop = (await world.Plain.CreateFromS3Async(Request(world), cancellationToken: TestContext.Current.CancellationToken)).TopHash;
                afterOther = await world.RegistryVersionsAsync();
            }
            else if (number == 5)
            {
                throw QuiltException.Transient("injected failure of the fifth copy");
            }
        };

        var error = await Should.ThrowAsync<QuiltException>(() => world.Operations.CreateFromS3Async(Request(world), cancellationToken: TestContext.Current.CancellationToken));

        error.Message.ShouldContain("injected failure of the fifth copy");
        (await world.RegistryVersionsAsync()).ShouldBe(afterOther);
        var verify = await world.Plain.VerifyAsync(Package, StorageLocation.Parse(world.Registry), otherTop, TestContext.Current.CancellationToken);
        verify.IsValid.ShouldBeTrue(string.Join("; ", verify.Problems));
        verify.EntriesChecked.ShouldBe(8);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task CreateFromS3_TimestampPointerLandsButItsAnswerIsLost_RollbackRemovesPointerAndManifest(RegistryKind kind)
    {
        using var world = await RegistryWorld.CreateAsync(kind, moto, Options());
        await SeedAsync(world, 3);
        var before = await world.RegistryVersionsAsync();
        world.Store.LoseAnswerOfPut = location =>
            location.Key.Contains("/named_packages/", StringComparison.Ordinal) && !location.Key.EndsWith("/latest", StringComparison.Ordinal)
                ? QuiltException.Transient("connection reset after the pointer was sent")
                : null;

        var error = await Should.ThrowAsync<QuiltException>(() => world.Operations.CreateFromS3Async(Request(world), cancellationToken: TestContext.Current.CancellationToken));

        (await world.RegistryVersionsAsync()).ShouldBe(before);
        error.Message.ShouldContain("nothing was left behind");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task CreateFromS3_TimestampPointerOfSecondRevisionLandsButItsAnswerIsLost_EveryPointerNamesAnExistingManifest(RegistryKind kind)
    {
        using var world = await RegistryWorld.CreateAsync(kind, moto, Options());
        await SeedAsync(world, 3);
        var first = await world.Plain.CreateFromS3Async(Request(world, CopyMode.None), cancellationToken: TestContext.Current.CancellationToken);
        await world.WriteSourceAsync("f00.txt", "changed");
        var before = await world.RegistryVersionsAsync();
        world.Store.LoseAnswerOfPut = location =>
            location.Key.Contains("/named_packages/", StringComparison.Ordinal) && !location.Key.EndsWith("/latest", StringComparison.Ordinal)
                ? new OperationCanceledException("cancelled while the pointer was in flight")
                : null;

        await Should.ThrowAsync<QuiltException>(() => world.Operations.CreateFromS3Async(Request(world, CopyMode.None), cancellationToken: TestContext.Current.CancellationToken));

        (await world.RegistryVersionsAsync()).ShouldBe(before);
        var list = await world.Plain.ListPackagesAsync(StorageLocation.Parse(world.Registry), TestContext.Current.CancellationToken);
        list.Packages.Single().LatestTopHash.ShouldBe(first.TopHash);
        list.Packages.Single().Revisions.ShouldBe(1);
        (await world.Plain.BrowseAsync(Package, StorageLocation.Parse(world.Registry), cancellationToken: TestContext.Current.CancellationToken)).TopHash.ShouldBe(first.TopHash);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task CreateFromS3_LatestLandsButItsAnswerIsLost_SucceedsAndSaysSo(RegistryKind kind)
    {
        using var world = await RegistryWorld.CreateAsync(kind, moto, Options());
        await SeedAsync(world, 3);
        world.Store.LoseAnswerOfPut = location =>
            location.Key.EndsWith("/latest", StringComparison.Ordinal) ? QuiltException.Transient("connection reset after latest was sent") : null;

        var result = await world.Operations.CreateFromS3Async(Request(world), cancellationToken: TestContext.Current.CancellationToken);

        result.TopHash.ShouldNotBeNull();
        result.Warnings.ShouldContain(w => w.Contains("reading latest again shows it names this revision", StringComparison.Ordinal));
        var verify = await world.Plain.VerifyAsync(Package, StorageLocation.Parse(world.Registry), cancellationToken: TestContext.Current.CancellationToken);
        verify.IsValid.ShouldBeTrue(string.Join("; ", verify.Problems));
        (await world.Plain.ListPackagesAsync(StorageLocation.Parse(world.Registry), TestContext.Current.CancellationToken)).Packages.Single().LatestTopHash.ShouldBe(result.TopHash);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task CreateFromS3_CancelledWhileLatestIsInFlight_WriteSettlesAndTheRevisionStands(RegistryKind kind)
    {
        using var world = await RegistryWorld.CreateAsync(kind, moto, Options());
        await SeedAsync(world, 3);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        world.Store.BeforePut = async (location, _) =>
        {
            if (location.Key.EndsWith("/latest", StringComparison.Ordinal))
            {
                await cancel.CancelAsync();
            }
        };

        var result = await world.Operations.CreateFromS3Async(Request(world), cancellationToken: cancel.Token);

        // The write was already sent when the user cancelled: it settled, and latest names it, so the run reports it.
        var latest = (await world.Plain.ListPackagesAsync(StorageLocation.Parse(world.Registry), TestContext.Current.CancellationToken)).Packages.Single().LatestTopHash;
        latest.ShouldBe(result.TopHash);
        (await world.Plain.VerifyAsync(Package, StorageLocation.Parse(world.Registry), cancellationToken: TestContext.Current.CancellationToken)).IsValid.ShouldBeTrue();
    }

    [Theory]
    [MemberData(nameof(UnversionedKinds))]
    public async Task CreateFromS3_FailureAfterOverwritingAnEarlierRevision_ErrorNamesTheOverwrittenObjects(RegistryKind kind)
    {
        using var world = await RegistryWorld.CreateAsync(kind, moto, Options(concurrency: 1));
        await SeedAsync(world, 2);
        await world.Plain.CreateFromS3Async(Request(world), cancellationToken: TestContext.Current.CancellationToken);
        await world.WriteSourceAsync("f00.txt", "replaced content");
        await world.WriteSourceAsync("f02.txt", "new object");
        world.Store.BeforeCopy = (_, destination) =>
            destination.Key.EndsWith("f02.txt", StringComparison.Ordinal) ? throw QuiltException.Transient("injected failure copying f02.txt") : Task.CompletedTask;

        var error = await Should.ThrowAsync<QuiltException>(() => world.Operations.CreateFromS3Async(Request(world), cancellationToken: TestContext.Current.CancellationToken));

        error.Message.ShouldContain("which no rollback can restore");
        error.Message.ShouldContain("demo/pkg/f00.txt");
        error.Message.ShouldNotContain("demo/pkg/f02.txt, "); // never copied: not an overwrite
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task CreateFromS3_TwoRevisionsInOneSecond_EachGetsItsOwnPointer(RegistryKind kind)
    {
        var clock = new ManualTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        using var world = await RegistryWorld.CreateAsync(kind, moto, Options() with { Clock = clock });
        await SeedAsync(world, 2);
        var first = await world.Operations.CreateFromS3Async(Request(world, CopyMode.None), cancellationToken: TestContext.Current.CancellationToken);
        await world.WriteSourceAsync("f00.txt", "second revision");
        var second = await world.Operations.CreateFromS3Async(Request(world, CopyMode.None), cancellationToken: TestContext.Current.CancellationToken);

        second.TopHash.ShouldNotBe(first.TopHash);
        var versions = await world.RegistryVersionsAsync();
        var pointers = versions.Where(v => v.StartsWith(".quilt/named_packages/demo/pkg/18", StringComparison.Ordinal)).Select(v => v.Split(' ')[0]).ToList();
        pointers.ShouldBe([".quilt/named_packages/demo/pkg/1800000000", ".quilt/named_packages/demo/pkg/1800000001"]);
        var summary = (await world.Plain.ListPackagesAsync(StorageLocation.Parse(world.Registry), TestContext.Current.CancellationToken)).Packages.Single();
        summary.Revisions.ShouldBe(2);
        summary.LatestTopHash.ShouldBe(second.TopHash);
        (await world.Plain.BrowseAsync(Package, StorageLocation.Parse(world.Registry), first.TopHash, TestContext.Current.CancellationToken)).TopHash.ShouldBe(first.TopHash);
    }

    [Theory]
    [InlineData(RegistryKind.Local, false)]
    [InlineData(RegistryKind.Local, true)]
    [InlineData(RegistryKind.Unversioned, false)]
    [InlineData(RegistryKind.Unversioned, true)]
    [InlineData(RegistryKind.Versioned, false)]
    [InlineData(RegistryKind.Versioned, true)]
    public async Task CreateFromS3_LatestReplacedBetweenCheckAndWrite_ConditionalWriteRefusesAndTheRunLeavesNothing(RegistryKind kind, bool packageExists)
    {
        using var world = await RegistryWorld.CreateAsync(kind, moto, Options());
        await SeedAsync(world, 3);
        if (packageExists)
        {
            await world.Plain.CreateFromS3Async(Request(world, CopyMode.None), cancellationToken: TestContext.Current.CancellationToken);
            await world.WriteSourceAsync("f00.txt", "next revision");
        }

        var intruder = new string('e', 64);
        var before = await world.RegistryVersionsAsync();
        PutOptions? latestCondition = null;
        world.Store.BeforePut = async (location, options) =>
        {
            if (location.Key.EndsWith("/latest", StringComparison.Ordinal))
            {
                latestCondition = options;
                await world.WriteRegistryAsync(".quilt/named_packages/demo/pkg/latest", intruder);
            }
        };

        var error = await Should.ThrowAsync<QuiltException>(() => world.Operations.CreateFromS3Async(Request(world, CopyMode.None), cancellationToken: TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.Conflict);
        error.Message.ShouldContain(intruder);
        latestCondition.ShouldNotBeNull();
        if (packageExists)
        {
            latestCondition.IfMatchETag.ShouldNotBeNullOrEmpty();
        }
        else
        {
            latestCondition.IfNoneMatch.ShouldBeTrue();
        }

        // The manifest and the timestamp pointer were written before latest; the rollback removed both, and only the
        // intruder's latest changed.
        const string LatestKey = ".quilt/named_packages/demo/pkg/latest";
        (await world.RegistryVersionsAsync()).Where(v => !v.StartsWith(LatestKey, StringComparison.Ordinal))
            .ShouldBe(before.Where(v => !v.StartsWith(LatestKey, StringComparison.Ordinal)));
        Encoding.ASCII.GetString(await ReadRegistryAsync(world, LatestKey)).ShouldBe(intruder);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task CreateFromS3_RunDiesWithoutRollingBack_CleanupRemovesWhatItWrote(RegistryKind kind)
    {
        using var world = await RegistryWorld.CreateAsync(kind, moto, Options(concurrency: 4));
        await SeedAsync(world, 12);
        var before = await world.RegistryVersionsAsync();
        world.Store.BeforeCopy = (number, _) =>
            number == 9 ? throw Crash() : Task.CompletedTask;

        await Should.ThrowAsync<OutOfMemoryException>(() => world.Operations.CreateFromS3Async(Request(world), cancellationToken: TestContext.Current.CancellationToken));

        (await world.RegistryVersionsAsync()).Count.ShouldBeGreaterThan(before.Count); // the dead run left copies
        Directory.GetFiles(Path.Combine(_state, "runs"), "*.jsonl").Length.ShouldBe(1);

        var cleanup = await world.Operations.CleanupAsync(StorageLocation.Parse(world.Registry), TestContext.Current.CancellationToken);

        cleanup.RunsFound.ShouldBe(1);
        cleanup.RunsStillRunning.ShouldBe(0);
        cleanup.RunsCleaned.ShouldBe(1);
        cleanup.ObjectsRemoved.ShouldBeGreaterThanOrEqualTo(8);
        cleanup.Leftovers.ShouldBeEmpty();
        (await world.RegistryVersionsAsync()).ShouldBe(before);
        Directory.GetFiles(Path.Combine(_state, "runs"), "*.jsonl").ShouldBeEmpty();
        (await world.OpenUploadsAsync()).ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task CreateFromS3_RerunAfterARunDied_RemovesTheDeadRunsObjectsFirst(RegistryKind kind)
    {
        using var world = await RegistryWorld.CreateAsync(kind, moto, Options(concurrency: 4));
        await SeedAsync(world, 12);
        world.Store.BeforeCopy = (number, _) =>
            number == 9 ? throw Crash() : Task.CompletedTask;
        await Should.ThrowAsync<OutOfMemoryException>(() => world.Operations.CreateFromS3Async(Request(world), cancellationToken: TestContext.Current.CancellationToken));
        await SeedAsync(world, 12, tag: " (rerun)");
        world.Store.BeforeCopy = null;

        var result = await world.Operations.CreateFromS3Async(Request(world), cancellationToken: TestContext.Current.CancellationToken);

        // One version per data key: the dead run's copies went before the rerun wrote its own.
        var data = (await world.RegistryVersionsAsync()).Where(v => v.StartsWith("demo/pkg/", StringComparison.Ordinal)).ToList();
        data.Count.ShouldBe(12);
        data.Select(v => v.Split(' ')[0]).Distinct().Count().ShouldBe(12);
        Directory.GetFiles(Path.Combine(_state, "runs"), "*.jsonl").ShouldBeEmpty();
        var verify = await world.Plain.VerifyAsync(Package, StorageLocation.Parse(world.Registry), result.TopHash, TestContext.Current.CancellationToken);
        verify.IsValid.ShouldBeTrue(string.Join("; ", verify.Problems));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task CreateFromS3_CopyOfDataAlreadyPackagedInPlace_WarnsThatTheExistingManifestIsUsed(RegistryKind kind)
    {
        using var world = await RegistryWorld.CreateAsync(kind, moto, Options());
        await SeedAsync(world, 2);
        var inPlace = await world.Plain.CreateFromS3Async(Request(world, CopyMode.None), cancellationToken: TestContext.Current.CancellationToken);

        var copied = await world.Operations.CreateFromS3Async(Request(world, CopyMode.All), cancellationToken: TestContext.Current.CancellationToken);

        // Same names, hashes and metadata: the same top hash, whose manifest (in place) the revision now names.
        copied.TopHash.ShouldBe(inPlace.TopHash);
        copied.Warnings.ShouldContain(w => w.Contains("was already in the registry", StringComparison.Ordinal));
        var browse = await world.Plain.BrowseAsync(Package, StorageLocation.Parse(world.Registry), copied.TopHash, TestContext.Current.CancellationToken);
        browse.Entries.ShouldAllBe(e => !e.PhysicalKey.Contains("/demo/pkg/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CleanupAsync_RunStillInProgressInThisProcess_IsLeftAlone()
    {
        using var world = await RegistryWorld.CreateAsync(RegistryKind.Local, moto, Options(concurrency: 1));
        await SeedAsync(world, 3);
        CleanupResult? during = null;
        var cleaner = new DirectQuiltOperations(new StoreProvider(new LocalObjectStore(), () => throw new InvalidOperationException()), Options());
        world.Store.BeforeCopy = async (number, _) =>
        {
            if (number == 2)
            {
                during = await cleaner.CleanupAsync(StorageLocation.Parse(world.Registry), TestContext.Current.CancellationToken);
            }
        };

        var result = await world.Operations.CreateFromS3Async(Request(world), cancellationToken: TestContext.Current.CancellationToken);

        during.ShouldNotBeNull();
        during.RunsFound.ShouldBe(1);
        during.RunsStillRunning.ShouldBe(1);
        during.ObjectsRemoved.ShouldBe(0);
        (await world.Plain.VerifyAsync(Package, StorageLocation.Parse(world.Registry), result.TopHash, TestContext.Current.CancellationToken)).IsValid.ShouldBeTrue();
    }

    /// <summary>The one failure the pipeline does not roll back after (the process is going down): a crash, in-process.</summary>
#pragma warning disable CA2201 // reserved by the runtime: that is the point, nothing may catch and undo after it
    private static OutOfMemoryException Crash() => new("stands for a crash: no rollback runs after it");
#pragma warning restore CA2201

    private static async Task<byte[]> ReadRegistryAsync(RegistryWorld world, string key)
    {
        var bytes = await world.Store.TryReadAllBytesAsync(new ObjectLocation(world.RegistryBucket, key), TestContext.Current.CancellationToken);
        return bytes ?? throw new InvalidOperationException($"{key} is missing");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_state, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
