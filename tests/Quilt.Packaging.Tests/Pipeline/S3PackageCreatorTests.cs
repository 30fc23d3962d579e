using System.Net;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Quilt.Core.Errors;
using Quilt.Core.Hashing;
using Quilt.Core.Json;
using Quilt.Packaging.Contracts;
using Quilt.Storage;
using Quilt.Testing;

namespace Quilt.Packaging.Tests.Pipeline;

/// <summary>The create pipeline against a real S3-compatible server (moto_server on loopback).</summary>
public sealed class S3PackageCreatorTests(MotoFixture moto)
{
    private static readonly Dictionary<string, string> Sources = new(StringComparer.Ordinal)
    {
        ["data/2026/a.csv"] = "x,y\n1,2\n",
        ["data/2026/b c+d.csv"] = "spaces and plus\n",
        ["data/2026/данные.csv"] = "unicode\n",
        ["data/2026/tmp/skip.csv"] = "excluded\n",
        ["data/2026/notes.txt"] = "not a csv\n",
        ["data/other/c.csv"] = "outside the prefix\n",
    };

    private static DirectQuiltOperations Operations(S3ObjectStore store) =>
        new(new StoreProvider(new LocalObjectStore(), () => store), new PackagingOptions { Concurrency = 8 });

    private async Task<(string Source, string Registry, AmazonS3Client Raw)> SeedAsync(bool versioned = true)
    {
        var ct = TestContext.Current.CancellationToken;
        var source = await moto.Server.CreateBucketAsync(versioned, ct);
        var registry = await moto.Server.CreateBucketAsync(versioned, ct);
        var raw = moto.Server.CreateRawClient();
        foreach (var (key, content) in Sources)
        {
            await raw.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = key, ContentBody = content, ContentType = "text/csv", Metadata = { ["owner"] = "lab", ["note"] = "two words" } }, ct);
        }

        await raw.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "data/2026/folder/", ContentBody = "" }, ct);
        return (source, registry, raw);
    }

    private static async Task<List<string>> KeysAsync(AmazonS3Client raw, string bucket)
    {
        var response = await raw.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, TestContext.Current.CancellationToken);
        return (response.S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task CreateFromS3_PrefixWithGlobsInPlace_HasExactKeysHashesAndMetadata()
    {
        var (source, registry, raw) = await SeedAsync();
        using var store = moto.Server.CreateStore();
        var ops = Operations(store);

        var result = await ops.CreateFromS3Async(new CreateFromS3Request
        {
            Source = StorageLocation.Parse($"s3://{source}/data/2026/"),
            PackageName = "lab/run",
            TargetRegistry = StorageLocation.Parse($"s3://{registry}"),
            IncludePatterns = ["*.csv"],
            ExcludePatterns = ["tmp/**"],
            Copy = CopyMode.None,
            Message = "in place",
            Metadata = new QuiltJsonObject([new("project", new QuiltJsonString("alpha"))]),
        }, cancellationToken: TestContext.Current.CancellationToken);

        result.Skipped.ShouldBe(new SkippedCounts(1, 2));
        result.ObjectsReferenced.ShouldBe(3);
        result.HashesByStep.ShouldBe(new Dictionary<string, long> { ["small_object_get"] = 3 });
        // One GET per small object, plus two reads of the 'latest' pointer (at validation and at the conflict check).
        result.Requests.ByOperation["GetObject"].ShouldBe(3 + 2);
        // No HEAD per object: the two HEADs are the registry's (workflows config, existing manifest).
        result.Requests.ByOperation["HeadObject"].ShouldBe(2);

        var browse = await ops.BrowseAsync("lab/run", StorageLocation.Parse($"s3://{registry}"), cancellationToken: TestContext.Current.CancellationToken);
        browse.Entries.Select(e => e.LogicalKey).ShouldBe(["a.csv", "b c+d.csv", "данные.csv"]);
        foreach (var entry in browse.Entries)
        {
            var content = Sources["data/2026/" + entry.LogicalKey];
            entry.Size.ShouldBe(Encoding.UTF8.GetByteCount(content));
            entry.HashValue.ShouldBe(ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, Encoding.UTF8.GetBytes(content)).Value);
            entry.PhysicalKey.ShouldStartWith($"s3://{source}/data/2026/");
            entry.PhysicalKey.ShouldContain("?versionId=");
            var meta = (QuiltJsonObject)entry.Meta;
            ((QuiltJsonObject)meta["user_meta"])["owner"].ShouldBe(new QuiltJsonString("lab"));
            ((QuiltJsonObject)meta["user_meta"])["note"].ShouldBe(new QuiltJsonString("two words"));
            ((QuiltJsonObject)meta["s3"])["content_type"].ShouldBe(new QuiltJsonString("text/csv"));
        }

        browse.Entries[1].PhysicalKey.ShouldContain("b%20c%2Bd.csv");
        var keys = await KeysAsync(raw, registry);
        keys.ShouldBe([
            $".quilt/named_packages/lab/run/{keys.Single(k => k.StartsWith(".quilt/named_packages/lab/run/1", StringComparison.Ordinal))[".quilt/named_packages/lab/run/".Length..]}",
            ".quilt/named_packages/lab/run/latest",
            $".quilt/packages/{result.TopHash}",
        ]);
        (await ops.VerifyAsync("lab/run", StorageLocation.Parse($"s3://{registry}"), cancellationToken: TestContext.Current.CancellationToken)).IsValid.ShouldBeTrue();
    }

    [Fact]
    public async Task CreateFromS3_CopyAll_CopiesServerSideWithMetadataAndTwoRequestsPerObject()
    {
        var (source, registry, raw) = await SeedAsync();
        using var store = moto.Server.CreateStore();
        var ops = Operations(store);

        var result = await ops.CreateFromS3Async(new CreateFromS3Request
        {
            Source = StorageLocation.Parse($"s3://{source}/data/2026/"),
            PackageName = "lab/copy",
            TargetRegistry = StorageLocation.S3(registry),
            IncludePatterns = ["*.csv"],
            Copy = CopyMode.All,
        }, cancellationToken: TestContext.Current.CancellationToken);

        result.ObjectsCopied.ShouldBe(4);
        result.Requests.ByOperation["HeadObject"].ShouldBeGreaterThanOrEqualTo(4);
        result.Requests.ByOperation["CopyObject"].ShouldBe(4);
        var keys = await KeysAsync(raw, registry);
        keys.ShouldContain("lab/copy/a.csv");
        keys.ShouldContain("lab/copy/tmp/skip.csv");
        var head = await raw.GetObjectMetadataAsync(registry, "lab/copy/a.csv", TestContext.Current.CancellationToken);
        head.Metadata["owner"].ShouldBe("lab");
        (await ops.VerifyAsync("lab/copy", StorageLocation.S3(registry), cancellationToken: TestContext.Current.CancellationToken)).IsValid.ShouldBeTrue();
    }

    [Fact]
    public async Task CreateFromS3_TwoRunsOverUnchangedData_SameTopHash()
    {
        var (source, registry, _) = await SeedAsync();
        using var store = moto.Server.CreateStore();
        var ops = Operations(store);
        var request = new CreateFromS3Request { Source = StorageLocation.Parse($"s3://{source}/data/"), PackageName = "lab/same", TargetRegistry = StorageLocation.S3(registry), Copy = CopyMode.None, Message = "m" };

        var first = await ops.CreateFromS3Async(request, cancellationToken: TestContext.Current.CancellationToken);
        var second = await ops.CreateFromS3Async(request, cancellationToken: TestContext.Current.CancellationToken);

        second.TopHash.ShouldBe(first.TopHash);
    }

    [Fact]
    public async Task CreateFromS3_ServerFailsHalfWayThroughCopies_TargetBucketUnchanged()
    {
        var (source, registry, raw) = await SeedAsync(versioned: false);
        var before = await KeysAsync(raw, registry);
        using var store = moto.Server.CreateStore(o => o with
        {
            HttpHandlerWrapper = inner => new S3FaultHandler(inner, (_, copy) => copy >= 3 ? (HttpStatusCode.Forbidden, "AccessDenied") : null),
        });
        var ops = new DirectQuiltOperations(new StoreProvider(new LocalObjectStore(), () => store), new PackagingOptions { Concurrency = 1 });

        var error = await Should.ThrowAsync<QuiltException>(() => ops.CreateFromS3Async(
            new CreateFromS3Request { Source = StorageLocation.Parse($"s3://{source}/data/"), PackageName = "lab/fail", TargetRegistry = StorageLocation.S3(registry), Copy = CopyMode.All },
            cancellationToken: TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.AccessDenied);
        error.Message.ShouldContain("nothing was left behind");
        (await KeysAsync(raw, registry)).ShouldBe(before);
    }

    [Fact]
    public async Task CreateFromS3_CancelledWhileCopyingVersionedTarget_LeavesNoVersionsBehind()
    {
        var (source, registry, raw) = await SeedAsync(versioned: true);
        using var store = moto.Server.CreateStore();
        var ops = new DirectQuiltOperations(new StoreProvider(new LocalObjectStore(), () => store), new PackagingOptions { Concurrency = 1 });
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var progress = new Progress(u =>
        {
            if (u.Phase == "copying" && u.ObjectsDone == 2)
            {
                cts.Cancel();
            }
        });

        var error = await Should.ThrowAsync<QuiltException>(() => ops.CreateFromS3Async(
            new CreateFromS3Request { Source = StorageLocation.Parse($"s3://{source}/data/"), PackageName = "lab/cancel", TargetRegistry = StorageLocation.S3(registry), Copy = CopyMode.All },
            progress,
            cts.Token));

        error.Kind.ShouldBe(QuiltErrorKind.Cancelled);
        var versions = await raw.ListVersionsAsync(new ListVersionsRequest { BucketName = registry }, TestContext.Current.CancellationToken);
        (versions.Versions ?? []).ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateFromS3_MissingSourceBucket_NotFoundBeforeWriting()
    {
        var (_, registry, raw) = await SeedAsync();
        using var store = moto.Server.CreateStore();

        var error = await Should.ThrowAsync<QuiltException>(() => Operations(store).CreateFromS3Async(
            new CreateFromS3Request { Source = StorageLocation.Parse("s3://no-such-bucket-xyz/data/"), PackageName = "lab/x", TargetRegistry = StorageLocation.S3(registry) },
            cancellationToken: TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.NotFound);
        error.Message.ShouldContain("no-such-bucket-xyz");
        (await KeysAsync(raw, registry)).ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateFromS3_MissingRegistryBucket_NotFound()
    {
        var (source, _, _) = await SeedAsync();
        using var store = moto.Server.CreateStore();

        var error = await Should.ThrowAsync<QuiltException>(() => Operations(store).CreateFromS3Async(
            new CreateFromS3Request { Source = StorageLocation.Parse($"s3://{source}/data/"), PackageName = "lab/x", TargetRegistry = StorageLocation.Parse("s3://no-such-registry-xyz") },
            cancellationToken: TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.NotFound);
        error.Message.ShouldContain("no-such-registry-xyz");
    }

    [Fact]
    public async Task CreateFromS3_AccessDeniedOnSourceListing_FailsBeforeWriting()
    {
        var (source, registry, raw) = await SeedAsync();
        using var store = moto.Server.CreateStore(o => o with
        {
            HttpHandlerWrapper = inner => new S3FaultHandler(inner, (request, _) =>
                request.Method == HttpMethod.Get && request.RequestUri!.AbsolutePath.TrimEnd('/').EndsWith(source, StringComparison.Ordinal) && !request.RequestUri.Query.Contains("versioning", StringComparison.Ordinal)
                    ? (HttpStatusCode.Forbidden, "AccessDenied")
                    : null),
        });

        var error = await Should.ThrowAsync<QuiltException>(() => Operations(store).CreateFromS3Async(
            new CreateFromS3Request { Source = StorageLocation.Parse($"s3://{source}/data/"), PackageName = "lab/x", TargetRegistry = StorageLocation.S3(registry) },
            cancellationToken: TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.AccessDenied);
        error.Message.ShouldNotContain(MotoServer.SecretAccessKey);
        (await KeysAsync(raw, registry)).ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateFromS3_LatestChangedByOtherWriter_ConflictAndNoPointerWritten()
    {
        var (source, registry, raw) = await SeedAsync();
        using var store = moto.Server.CreateStore();
        var ops = Operations(store);
        var request = new CreateFromS3Request { Source = StorageLocation.Parse($"s3://{source}/data/"), PackageName = "lab/race", TargetRegistry = StorageLocation.S3(registry), Copy = CopyMode.None };
        await ops.CreateFromS3Async(request with { Message = "first" }, cancellationToken: TestContext.Current.CancellationToken);
        var before = await KeysAsync(raw, registry);
        var intruder = new string('f', 64);
        var progress = new Progress(u =>
        {
            if (u.Phase == "committing" && u.ObjectsDone == 0)
            {
                raw.PutObjectAsync(new PutObjectRequest { BucketName = registry, Key = ".quilt/named_packages/lab/race/latest", ContentBody = intruder }).GetAwaiter().GetResult();
            }
        });

        var error = await Should.ThrowAsync<QuiltException>(() => ops.CreateFromS3Async(request with { Message = "second" }, progress, TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.Conflict);
        (await KeysAsync(raw, registry)).ShouldBe(before);
        using var latest = await raw.GetObjectAsync(registry, ".quilt/named_packages/lab/race/latest", TestContext.Current.CancellationToken);
        (await new StreamReader(latest.ResponseStream).ReadToEndAsync(TestContext.Current.CancellationToken)).ShouldBe(intruder);
    }

    private sealed class Progress(Action<ProgressUpdate> onReport) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) => onReport(value);
    }
}
