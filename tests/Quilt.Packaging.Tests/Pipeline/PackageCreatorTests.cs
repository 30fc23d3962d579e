using System.Text;
using Quilt.Core.Errors;
using Quilt.Core.Hashing;
using Quilt.Core.Json;
using Quilt.Core.Manifests;
using Quilt.Packaging.Contracts;
using Quilt.Storage;

namespace Quilt.Packaging.Tests.Pipeline;

public sealed class PackageCreatorTests
{
    private static CreateFromS3Request Request(LocalPackagingFixture f, string name = "demo/pkg") => new()
    {
        Source = StorageLocation.Parse(f.Source),
        PackageName = name,
        TargetRegistry = StorageLocation.Parse(f.Registry),
    };

    [Fact]
    public async Task CreateFromS3_LocalFolder_WritesLayoutOfQuiltFormatSection5()
    {
        using var f = new LocalPackagingFixture();
        f.Write("a.txt", "Hello, World!");
        f.Write("sub/b c+d#e.csv", "x,y\n1,2\n");

        var result = await f.Operations.CreateFromS3Async(Request(f) with { Message = "first" }, cancellationToken: TestContext.Current.CancellationToken);

        result.TopHash.ShouldNotBeNull();
        result.Entries.ShouldBe(2);
        result.ObjectsCopied.ShouldBe(2);
        var files = f.RegistryFiles();
        files.ShouldContain($".quilt/packages/{result.TopHash}");
        files.ShouldContain(".quilt/named_packages/demo/pkg/latest");
        files.Count(p => p.StartsWith(".quilt/named_packages/demo/pkg/", StringComparison.Ordinal) && p.Split('/')[^1].All(char.IsAsciiDigit)).ShouldBe(1);
        files.ShouldContain("demo/pkg/a.txt");
        files.ShouldContain("demo/pkg/sub/b c+d#e.csv");

        var latest = await File.ReadAllBytesAsync(Path.Combine(f.Registry, ".quilt/named_packages/demo/pkg/latest"), TestContext.Current.CancellationToken);
        latest.Length.ShouldBe(64);
        Encoding.ASCII.GetString(latest).ShouldBe(result.TopHash);

        var manifest = ManifestReader.Read(await File.ReadAllBytesAsync(Path.Combine(f.Registry, ".quilt/packages", result.TopHash!), TestContext.Current.CancellationToken));
        manifest.ComputeTopHash().ShouldBe(result.TopHash);
        manifest.Message.ShouldBe("first");
        manifest.Entries.Select(e => e.LogicalKey).ShouldBe(["a.txt", "sub/b c+d#e.csv"]);
        manifest.Entries[0].Hash.ShouldBe(new QuiltHash(QuiltHashTypes.Sha256Chunked, "BCp9ZKWB7y7pg/IQWIAcw1ZjtwXmxV9i+o4PGOzHCYk="));
        manifest.Entries[1].PhysicalKey.ShouldEndWith("/registry/demo/pkg/sub/b%20c%2Bd%23e.csv");

        var verify = await f.Operations.VerifyAsync("demo/pkg", StorageLocation.Parse(f.Registry), cancellationToken: TestContext.Current.CancellationToken);
        verify.IsValid.ShouldBeTrue(string.Join("; ", verify.Problems));
        verify.EntriesChecked.ShouldBe(2);
    }

    [Fact]
    public async Task CreateFromS3_IncludeAndExcludeGlobs_SelectsExactlyTheExpectedKeys()
    {
        using var f = new LocalPackagingFixture();
        f.Write("data/one.csv", "1");
        f.Write("data/deep/two.csv", "2");
        f.Write("data/deep/skip.csv", "3");
        f.Write("data/three.json", "{}");
        f.Write("notes.txt", "n");

        var result = await f.Operations.CreateFromS3Async(
            Request(f) with { IncludePatterns = ["*.csv", "*.json"], ExcludePatterns = ["**/skip.csv"], Copy = CopyMode.None },
            cancellationToken: TestContext.Current.CancellationToken);

        var browse = await f.Operations.BrowseAsync("demo/pkg", StorageLocation.Parse(f.Registry), cancellationToken: TestContext.Current.CancellationToken);
        browse.Entries.Select(e => e.LogicalKey).ShouldBe(["data/deep/two.csv", "data/one.csv", "data/three.json"]);
        result.Skipped.Excluded.ShouldBe(2);
        result.ObjectsReferenced.ShouldBe(3);
        browse.Entries.ShouldAllBe(e => e.PhysicalKey.StartsWith("file://", StringComparison.Ordinal) && e.PhysicalKey.Contains("/source/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateFromS3_FlattenWithCollidingNames_FailsNamingBothAndWritesNothing()
    {
        using var f = new LocalPackagingFixture();
        f.Write("a/data.csv", "1");
        f.Write("b/data.csv", "2");

        var error = await Should.ThrowAsync<QuiltException>(() => f.Operations.CreateFromS3Async(Request(f) with { PreserveStructure = false }, cancellationToken: TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldContain("a/data.csv");
        error.Message.ShouldContain("b/data.csv");
        f.RegistryFiles().ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateFromS3_EmptySelection_FailsWithCountsAndWritesNothing()
    {
        using var f = new LocalPackagingFixture();
        f.Write("a.txt", "1");

        var error = await Should.ThrowAsync<QuiltException>(() => f.Operations.CreateFromS3Async(Request(f) with { IncludePatterns = ["*.parquet"] }, cancellationToken: TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldContain("No objects selected");
        error.Message.ShouldContain("1 excluded");
        f.RegistryFiles().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("noslash")]
    [InlineData("a/b/c")]
    [InlineData("a b/c")]
    [InlineData("")]
    public async Task CreateFromS3_InvalidPackageName_FailsBeforeListing(string name)
    {
        using var f = new LocalPackagingFixture();
        f.Write("a.txt", "1");

        var error = await Should.ThrowAsync<QuiltException>(() => f.Operations.CreateFromS3Async(Request(f, name), cancellationToken: TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        f.RegistryFiles().ShouldBeEmpty();
        f.Store.Requests.Total.ShouldBe(0);
    }

    [Fact]
    public async Task CreateFromS3_MissingSourceFolder_FailsNotFound()
    {
        using var f = new LocalPackagingFixture();

        var error = await Should.ThrowAsync<QuiltException>(() => f.Operations.CreateFromS3Async(Request(f) with { Source = StorageLocation.Parse(Path.Combine(f.Root, "nope")) }, cancellationToken: TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.NotFound);
        error.Message.ShouldContain("nope");
        f.RegistryFiles().ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateFromS3_MetadataNotAnObject_FailsWithHint()
    {
        using var f = new LocalPackagingFixture();
        f.Write("a.txt", "1");

        var error = await Should.ThrowAsync<QuiltException>(() => f.Operations.CreateFromS3Async(Request(f) with { Metadata = new QuiltJsonArray([]) }, cancellationToken: TestContext.Current.CancellationToken));

        error.Message.ShouldContain("JSON object");
        f.RegistryFiles().ShouldBeEmpty();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CreateFromS3_NonFiniteMetadata_RefusedBeforeAnythingIsWritten(bool dryRun)
    {
        using var f = new LocalPackagingFixture();
        f.Write("a.txt", "1");
        Directory.CreateDirectory(f.Registry); // an existing, empty registry, so that it can be listed afterwards

        var error = await Should.ThrowAsync<PackageMetadataException>(() => f.Operations.CreateFromS3Async(Request(f) with { Metadata = JsonText.Parse("""{"runs": [{"score": NaN}]}"""), DryRun = dryRun }, cancellationToken: TestContext.Current.CancellationToken));

        error.Violation.ShouldBe(PackageMetadataViolation.NonFiniteNumber);
        error.JsonPath.ShouldBe("$.runs[0].score");
        f.RegistryFiles().ShouldBeEmpty();
        (await f.Operations.ListPackagesAsync(StorageLocation.Parse(f.Registry), TestContext.Current.CancellationToken)).Packages.ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateFromFiles_InfiniteMetadata_RefusedBeforeAnythingIsWritten()
    {
        using var f = new LocalPackagingFixture();
        var file = f.Write("a.txt", "1");

        var error = await Should.ThrowAsync<PackageMetadataException>(() => f.Operations.CreateAsync(new CreatePackageRequest { PackageName = "team/x", TargetRegistry = StorageLocation.Parse(f.Registry), Files = [StorageLocation.Parse(file)], Metadata = JsonText.Parse("""{"x": -Infinity}""") }, cancellationToken: TestContext.Current.CancellationToken));

        error.Violation.ShouldBe(PackageMetadataViolation.NonFiniteNumber);
        error.JsonPath.ShouldBe("$.x");
        f.RegistryFiles().ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateFromS3_HugeMetadata_FailsWithTheLimit()
    {
        using var f = new LocalPackagingFixture();
        f.Write("a.txt", "1");
        var huge = new QuiltJsonObject([new("blob", new QuiltJsonString(new string('x', 1_100_000)))]);

        var error = await Should.ThrowAsync<QuiltException>(() => f.Operations.CreateFromS3Async(Request(f) with { Metadata = huge }, cancellationToken: TestContext.Current.CancellationToken));

        error.Message.ShouldContain("limit");
        f.RegistryFiles().ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateFromS3_OddCharactersInMetadata_RoundTripThroughTheManifest()
    {
        using var f = new LocalPackagingFixture();
        f.Write("a.txt", "1");
        var meta = new QuiltJsonObject([new("name", new QuiltJsonString("naïve \u2028 \"quoted\" \\ 😀 \u0001")), new("big", new QuiltJsonInteger(System.Numerics.BigInteger.Parse("123456789012345678901234567890", System.Globalization.CultureInfo.InvariantCulture)))]);

        var result = await f.Operations.CreateFromS3Async(Request(f) with { Metadata = meta }, cancellationToken: TestContext.Current.CancellationToken);
        var browse = await f.Operations.BrowseAsync("demo/pkg", StorageLocation.Parse(f.Registry), result.TopHash![..10], TestContext.Current.CancellationToken);

        browse.Metadata.ShouldBe(meta);
    }

    [Fact]
    public async Task CreateFromS3_DryRun_ReturnsPlanAndWritesNothing()
    {
        using var f = new LocalPackagingFixture();
        f.Write("a.txt", "1");
        f.Write("b/c.txt", "22");

        var result = await f.Operations.CreateFromS3Async(Request(f) with { DryRun = true }, cancellationToken: TestContext.Current.CancellationToken);

        result.DryRun.ShouldBeTrue();
        result.TopHash.ShouldBeNull();
        result.Plan!.Select(p => (p.LogicalKey, p.Size, p.WillCopy)).ShouldBe([("a.txt", 1L, true), ("b/c.txt", 2L, true)]);
        result.TotalBytes.ShouldBe(3);
        f.RegistryFiles().ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateFromS3_TwoRunsOverUnchangedData_GiveTheSameTopHash()
    {
        using var f = new LocalPackagingFixture();
        f.Write("a.txt", "1");
        f.Write("b/c.txt", "22");

        var first = await f.Operations.CreateFromS3Async(Request(f) with { Message = "m" }, cancellationToken: TestContext.Current.CancellationToken);
        var second = await f.Operations.CreateFromS3Async(Request(f) with { Message = "m" }, cancellationToken: TestContext.Current.CancellationToken);

        second.TopHash.ShouldBe(first.TopHash);
        second.Warnings.ShouldNotBeEmpty(); // the second run overwrote the first run's copies in an unversioned folder
    }

    [Fact]
    public async Task CreateFromS3_LatestChangedDuringRun_FailsWithConflictAndLeavesNothing()
    {
        using var f = new LocalPackagingFixture();
        f.Write("a.txt", "1");
        var first = await f.Operations.CreateFromS3Async(Request(f), cancellationToken: TestContext.Current.CancellationToken);
        f.Write("new.txt", "2");
        var before = f.RegistryFiles();
        var latestPath = Path.Combine(f.Registry, ".quilt/named_packages/demo/pkg/latest");
        var intruder = new string('e', 64);
        var progress = new SyncProgress(u =>
        {
            if (u.Phase == "committing" && u.ObjectsDone == 0)
            {
                File.WriteAllText(latestPath, intruder);
            }
        });

        var error = await Should.ThrowAsync<QuiltException>(() => f.Operations.CreateFromS3Async(Request(f) with { Copy = CopyMode.None }, progress, TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.Conflict);
        error.Message.ShouldContain(first.TopHash!);
        File.ReadAllText(latestPath).ShouldBe(intruder);
        f.RegistryFiles().ShouldBe(before);
    }

    [Fact]
    public async Task CreateFromS3_LatestChangedDuringRunWithForce_Overwrites()
    {
        using var f = new LocalPackagingFixture();
        f.Write("a.txt", "1");
        await f.Operations.CreateFromS3Async(Request(f), cancellationToken: TestContext.Current.CancellationToken);
        var latestPath = Path.Combine(f.Registry, ".quilt/named_packages/demo/pkg/latest");
        var progress = new SyncProgress(u =>
        {
            if (u.Phase == "committing" && u.ObjectsDone == 0)
            {
                File.WriteAllText(latestPath, new string('e', 64));
            }
        });

        var result = await f.Operations.CreateFromS3Async(Request(f) with { Force = true, Message = "forced" }, progress, TestContext.Current.CancellationToken);

        File.ReadAllText(latestPath).ShouldBe(result.TopHash);
    }

    [Fact]
    public async Task CreateFromS3_CancelledWhileCopying_RollsBackEveryCopy()
    {
        using var f = new LocalPackagingFixture(options: new PackagingOptions { Concurrency = 1 });
        for (var i = 0; i < 20; i++)
        {
            f.Write($"f{i:00}.txt", new string('x', i));
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var progress = new SyncProgress(u =>
        {
            if (u.Phase == "copying" && u.ObjectsDone == 5)
            {
                cts.Cancel();
            }
        });

        var error = await Should.ThrowAsync<QuiltException>(() => f.Operations.CreateFromS3Async(Request(f), progress, cts.Token));

        error.Kind.ShouldBe(QuiltErrorKind.Cancelled);
        error.Message.ShouldContain("nothing was left behind");
        f.RegistryFiles().ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateFromS3_StoreFailsHalfWayThroughCopies_RollsBackAndReportsTheFailure()
    {
        var failing = new InterceptingStore(new LocalObjectStore())
        {
            BeforeCopy = (number, destination) => number == 6 ? throw QuiltException.Transient($"injected failure copying {destination.Key}") : Task.CompletedTask,
        };
        using var f = new LocalPackagingFixture(failing, new PackagingOptions { Concurrency = 2 });
        for (var i = 0; i < 12; i++)
        {
            f.Write($"f{i:00}.txt", $"content {i}");
        }

        var error = await Should.ThrowAsync<QuiltException>(() => f.Operations.CreateFromS3Async(Request(f), cancellationToken: TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.Transient);
        error.Message.ShouldContain("injected failure");
        error.Message.ShouldContain("nothing was left behind");
        f.RegistryFiles().ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateFromS3_FailureWhileWritingLatest_RemovesManifestAndTimestampPointer()
    {
        var failing = new InterceptingStore(new LocalObjectStore())
        {
            BeforePut = (destination, _) => destination.Key.EndsWith("/latest", StringComparison.Ordinal) ? throw QuiltException.Transient($"injected failure writing {destination.Key}") : Task.CompletedTask,
        };
        using var f = new LocalPackagingFixture(failing);
        f.Write("a.txt", "1");

        await Should.ThrowAsync<QuiltException>(() => f.Operations.CreateFromS3Async(Request(f) with { Copy = CopyMode.None }, cancellationToken: TestContext.Current.CancellationToken));

        f.RegistryFiles().ShouldBeEmpty();
    }

    public static TheoryData<string, string, string> PushDestinations()
    {
        var data = new TheoryData<string, string, string>();
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Quilt.Testing.RepoPaths.Vectors, "expected.json")));
        foreach (var v in doc.RootElement.GetProperty("push_destination").EnumerateArray())
        {
            data.Add(v.GetProperty("package").GetString()!, v.GetProperty("logical_key").GetString()!, v.GetProperty("expected_key").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PushDestinations))]
    public async Task CreateFromS3_CopyAll_CopiesToQuiltDestinationKey(string package, string logicalKey, string expectedKey)
    {
        using var f = new LocalPackagingFixture();
        f.Write(logicalKey, "blah");

        var result = await f.Operations.CreateFromS3Async(Request(f, package) with { Copy = CopyMode.All }, cancellationToken: TestContext.Current.CancellationToken);

        f.RegistryFiles().ShouldContain(expectedKey);
        var browse = await f.Operations.BrowseAsync(package, StorageLocation.Parse(f.Registry), result.TopHash, TestContext.Current.CancellationToken);
        browse.Entries.Single().PhysicalKey.ShouldEndWith("/registry/" + expectedKey);
    }

    private sealed class SyncProgress(Action<ProgressUpdate> onReport) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) => onReport(value);
    }
}
