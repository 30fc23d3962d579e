using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Quilt.Core.Naming;
using Quilt.Packaging;
using Quilt.Packaging.Contracts;
using Quilt.Storage;
using Quilt.Testing;

namespace QuiltMcp.Tests.Process;

/// <summary>
/// <c>kill -9</c> of the real CLI in the middle of <c>create-from-s3 --copy all</c> (600 small objects and two of
/// 16 MiB + 1 byte, which are copied in parts) at seven points, stopped exactly there by an <see cref="S3Freezer"/> in
/// front of moto; then <c>quilt-mcp cleanup</c>, or the same command run again, from the same state folder. Afterwards
/// the registry holds exactly the object versions it held before the killed run plus those of complete, verifying
/// revisions (every data version referenced by a manifest, every manifest named by a pointer, every pointer naming a
/// manifest that exists), no delete markers, and no multipart upload.
/// </summary>
public sealed class CrashSafetyProcessTests(MotoFixture moto)
{
    private const string Package = "crash/pkg";
    private const int SmallObjects = 600;
    private const int BigSize = (16 * 1024 * 1024) + 1;
    private const int Entries = SmallObjects + 2;
    private static readonly SemaphoreSlim SourceGate = new(1, 1);
    private static (MotoServer Server, string Bucket)? _source;

    public enum KillPoint
    {
        /// <summary>At the first read of a source object: the journal exists, nothing is written.</summary>
        Hashing,

        /// <summary>After the 100th CopyObject reached moto (its answer never came back).</summary>
        Copying,

        /// <summary>At the first UploadPartCopy: a multipart upload is open and journaled.</summary>
        MultipartCopy,

        /// <summary>After CreateMultipartUpload reached moto, before its answer (the upload id) came back: not journaled.</summary>
        MultipartStartUnanswered,

        /// <summary>After the manifest PUT reached moto, before its answer.</summary>
        Manifest,

        /// <summary>After the timestamp pointer PUT reached moto, before its answer; <c>latest</c> not sent.</summary>
        Pointer,

        /// <summary>After the <c>latest</c> PUT reached moto, before its answer: the revision is committed.</summary>
        Latest,
    }

    public enum Recovery
    {
        /// <summary><c>quilt-mcp cleanup --registry s3://REG</c>.</summary>
        Cleanup,

        /// <summary>The same <c>create-from-s3</c> command again (it cleans up after interrupted runs of the package first).</summary>
        Rerun,
    }

    public static TheoryData<KillPoint, Recovery> Cases()
    {
        var cases = new TheoryData<KillPoint, Recovery>();
        foreach (var point in Enum.GetValues<KillPoint>())
        {
            cases.Add(point, Recovery.Cleanup);
        }

        // A rerun cleans up through the same code as cleanup, then copies everything again: two points (partial
        // data, an unjournaled upload) keep the time down.
        cases.Add(KillPoint.Copying, Recovery.Rerun);
        cases.Add(KillPoint.MultipartStartUnanswered, Recovery.Rerun);

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task CreateFromS3Cli_KilledAtPoint_RecoveryLeavesNoOrphansAndNoUploads(KillPoint point, Recovery recovery)
    {
        var ct = TestContext.Current.CancellationToken;
        var source = await SourceAsync(ct);
        var registry = await moto.Server.CreateBucketAsync(versioned: true, ct);
        using var raw = moto.Server.CreateRawClient();
        using var store = moto.Server.CreateStore();
        var operations = new DirectQuiltOperations(new StoreProvider(new LocalObjectStore(), () => store));

        // An earlier revision of the package (its data under the same keys the killed run copies to), so that "before"
        // is not empty and a rollback that deleted too much would show.
        var earlier = await operations.CreateFromS3Async(
            new CreateFromS3Request { Source = StorageLocation.Parse($"s3://{source}/data/"), PackageName = Package, TargetRegistry = StorageLocation.Parse($"s3://{registry}"), Copy = CopyMode.All, IncludePatterns = ["d0/f0*"], Message = "v1" },
            cancellationToken: ct);
        var before = await VersionsAsync(raw, registry, ct);
        before.Count.ShouldBe(17 + 3); // d0/f000 … d0/f096, manifest, pointer, latest

        var state = ChildEnvironment.NewStateDirectory();
        string[] create = ["create-from-s3", $"s3://{source}/data/", "--name", Package, "--registry", $"s3://{registry}", "--copy", "all", "--message", "v2"];
        await using (var freezer = await S3Freezer.StartAsync(moto.Server.Endpoint))
        {
            Arm(freezer, point, source, registry);
            using var crashed = QuiltMcpCli.Start(create, QuiltMcpCli.S3Environment(freezer.Url.AbsoluteUri.TrimEnd('/'), state));
            var exited = crashed.ExitedAsync(ct);
            // Waits while the run keeps sending requests (a loaded machine is slow, not stuck); 30 s without one is a hang.
            Task first;
            int seen;
            do
            {
                seen = freezer.Requests;
                first = await Task.WhenAny(freezer.Frozen, exited, Task.Delay(TimeSpan.FromSeconds(30), ct));
            }
            while (first != freezer.Frozen && first != exited && freezer.Requests > seen);
            ReferenceEquals(first, freezer.Frozen).ShouldBeTrue($"the run never reached {point}:\n{crashed.Transcript}");
            await ShouldBeAtAsync(point, raw, registry, before, state, ct);
            crashed.KillHard();
        }

        Journals(state).Count.ShouldBe(1, "the killed run's journal stays behind");

        string[] recover = recovery == Recovery.Cleanup ? ["cleanup", "--registry", $"s3://{registry}"] : create;
        using (var recovered = await QuiltMcpCli.RunAsync(recover, QuiltMcpCli.S3Environment(moto.Server.Endpoint, state), cancellationToken: ct))
        {
            recovered.ExitCode.ShouldBe(0, recovered.Transcript);
        }

        Journals(state).ShouldBeEmpty("the journal is deleted once its run was undone (or found committed)");
        (await UploadsAsync(raw, registry, ct)).ShouldBeEmpty();
        var after = await VersionsAsync(raw, registry, ct);
        before.Except(after).ShouldBeEmpty("nothing that existed before the killed run may go");
        var added = after.Except(before).ToList();
        added.ShouldNotContain(v => v.IsDeleteMarker);

        var committed = point == KillPoint.Latest;
        if (!committed && recovery == Recovery.Cleanup)
        {
            added.ShouldBeEmpty("the killed run committed nothing, so cleanup must remove all it wrote");
            (await operations.VerifyAsync(Package, StorageLocation.S3(registry), cancellationToken: ct)).TopHash.ShouldBe(earlier.TopHash);
            return;
        }

        // One complete revision was added (the killed one that reached latest, or the rerun): its data, manifest, one
        // timestamp pointer and a new latest; a rerun after a committed kill adds a second pointer to the same revision.
        var latest = await ReadAsync(raw, registry, $".quilt/named_packages/{Package}/latest", null, ct);
        latest.ShouldNotBe(earlier.TopHash);
        var verify = await operations.VerifyAsync(Package, StorageLocation.S3(registry), cancellationToken: ct);
        verify.IsValid.ShouldBeTrue(string.Join("; ", verify.Problems));
        verify.EntriesChecked.ShouldBe(Entries);
        (await operations.VerifyAsync(Package, StorageLocation.S3(registry), earlier.TopHash, ct)).IsValid.ShouldBeTrue("the earlier revision still verifies");
        await ShouldHaveNoOrphansAsync(raw, registry, after, added, ct);

        var pointers = added.Count(v => v.Key.StartsWith(".quilt/named_packages/", StringComparison.Ordinal) && !v.Key.EndsWith("/latest", StringComparison.Ordinal));
        var latestVersions = added.Count(v => v.Key.EndsWith("/latest", StringComparison.Ordinal));
        var manifests = added.Count(v => v.Key.StartsWith(".quilt/packages/", StringComparison.Ordinal));
        manifests.ShouldBe(1);
        (pointers, latestVersions).ShouldBe(committed && recovery == Recovery.Rerun ? (2, 2) : (1, 1));
    }

    /// <summary>Arms the freezer for the kill point: which request stops the world, and whether it reaches moto.</summary>
    private static void Arm(S3Freezer freezer, KillPoint point, string source, string registry)
    {
        var named = ".quilt/named_packages/" + Package + "/";
        switch (point)
        {
            case KillPoint.Hashing:
                freezer.Arm(r => r.Bucket == source && r.Method is "HEAD" or "GET" && r.Key.StartsWith("data/", StringComparison.Ordinal), forwardTrigger: false);
                break;
            case KillPoint.Copying:
                freezer.Arm(r => r.Bucket == registry && r.IsCopyObject && r.Key.StartsWith(Package + "/", StringComparison.Ordinal), forwardTrigger: true, occurrence: 100);
                break;
            case KillPoint.MultipartCopy:
                freezer.Arm(r => r.Bucket == registry && r.IsUploadPartCopy && r.Key.StartsWith(Package + "/", StringComparison.Ordinal), forwardTrigger: false);
                break;
            case KillPoint.MultipartStartUnanswered:
                freezer.Arm(r => r.Bucket == registry && r.IsCreateMultipartUpload && r.Key.StartsWith(Package + "/", StringComparison.Ordinal), forwardTrigger: true);
                break;
            case KillPoint.Manifest:
                freezer.Arm(r => r.Bucket == registry && r.IsPutObject && r.Key.StartsWith(".quilt/packages/", StringComparison.Ordinal), forwardTrigger: true);
                break;
            case KillPoint.Pointer:
                freezer.Arm(r => r.Bucket == registry && r.IsPutObject && r.Key.StartsWith(named, StringComparison.Ordinal) && !r.Key.EndsWith("/latest", StringComparison.Ordinal), forwardTrigger: true);
                break;
            default:
                freezer.Arm(r => r.Bucket == registry && r.IsPutObject && r.Key == named + "latest", forwardTrigger: true);
                break;
        }
    }

    /// <summary>Checks, with the child stopped, that the registry is in the state the kill point means.</summary>
    private static async Task ShouldBeAtAsync(KillPoint point, AmazonS3Client raw, string registry, HashSet<StoredVersion> before, string state, CancellationToken ct)
    {
        var added = (await VersionsAsync(raw, registry, ct)).Except(before).ToList();
        var data = added.Count(v => !v.Key.StartsWith(".quilt/", StringComparison.Ordinal));
        var manifests = added.Count(v => v.Key.StartsWith(".quilt/packages/", StringComparison.Ordinal));
        var pointers = added.Count(v => v.Key.StartsWith(".quilt/named_packages/", StringComparison.Ordinal) && !v.Key.EndsWith("/latest", StringComparison.Ordinal));
        var latest = added.Count(v => v.Key.EndsWith("/latest", StringComparison.Ordinal));
        var uploads = await UploadsAsync(raw, registry, ct);
        var journal = Journals(state).Select(File.ReadAllText).SingleOrDefault() ?? "";
        var context = $"{point}: {data} data, {manifests} manifests, {pointers} pointers, {latest} latest, {uploads.Count} uploads; journal:\n{journal}";
        journal.ShouldContain("\"t\":\"run\"", Case.Sensitive, context);
        switch (point)
        {
            case KillPoint.Hashing:
                added.ShouldBeEmpty(context);
                break;
            case KillPoint.Copying:
                data.ShouldBeInRange(1, Entries - 1, context);
                manifests.ShouldBe(0, context);
                break;
            case KillPoint.MultipartCopy:
                uploads.Count.ShouldBeGreaterThan(0, context);
                journal.ShouldContain("\"t\":\"upload\"", Case.Sensitive, context);
                manifests.ShouldBe(0, context);
                break;
            case KillPoint.MultipartStartUnanswered:
                uploads.Count.ShouldBe(1, context);
                journal.ShouldNotContain(uploads[0].UploadId, Case.Sensitive, context);
                manifests.ShouldBe(0, context);
                break;
            case KillPoint.Manifest:
                (data, manifests, pointers).ShouldBe((Entries, 1, 0), context);
                break;
            case KillPoint.Pointer:
                (data, manifests, pointers, latest).ShouldBe((Entries, 1, 1, 0), context);
                break;
            default:
                (data, manifests, pointers, latest).ShouldBe((Entries, 1, 1, 1), context);
                break;
        }
    }

    /// <summary>
    /// Every pointer (latest included) names a manifest that exists, every added manifest is named by a pointer, and
    /// every added data version is referenced by a manifest named by a pointer.
    /// </summary>
    private static async Task ShouldHaveNoOrphansAsync(AmazonS3Client raw, string registry, HashSet<StoredVersion> after, List<StoredVersion> added, CancellationToken ct)
    {
        var manifestKeys = after.Where(v => v.Key.StartsWith(".quilt/packages/", StringComparison.Ordinal)).Select(v => v.Key).ToHashSet(StringComparer.Ordinal);
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pointer in after.Where(v => v.Key.StartsWith(".quilt/named_packages/", StringComparison.Ordinal)))
        {
            var top = await ReadAsync(raw, registry, pointer.Key, pointer.VersionId, ct);
            manifestKeys.ShouldContain(".quilt/packages/" + top, $"pointer {pointer.Key} ({pointer.VersionId}) names a missing manifest");
            named.Add(".quilt/packages/" + top);
        }

        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var manifest in named)
        {
            var text = await ReadAsync(raw, registry, manifest, null, ct);
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
            {
                using var entry = JsonDocument.Parse(line);
                if (entry.RootElement.TryGetProperty("physical_keys", out var keys))
                {
                    foreach (var key in keys.EnumerateArray())
                    {
                        if (PhysicalKey.TryParse(key.GetString(), out var physical) && physical.IsS3 && physical.Bucket == registry)
                        {
                            referenced.Add(physical.Key + "?" + physical.VersionId);
                        }
                    }
                }
            }
        }

        added.Where(v => v.Key.StartsWith(".quilt/packages/", StringComparison.Ordinal)).Select(v => v.Key).ShouldBeSubsetOf(named, "a manifest no pointer names");
        var orphans = added.Where(v => !v.Key.StartsWith(".quilt/", StringComparison.Ordinal) && !referenced.Contains(v.Key + "?" + v.VersionId)).ToList();
        orphans.ShouldBeEmpty($"{orphans.Count} data versions no revision references, e.g. {string.Join(", ", orphans.Take(3))}");
    }

    private static List<string> Journals(string state)
    {
        var runs = Path.Combine(state, "runs");
        return Directory.Exists(runs) ? [.. Directory.EnumerateFiles(runs, "*.jsonl")] : [];
    }

    private static async Task<HashSet<StoredVersion>> VersionsAsync(AmazonS3Client raw, string bucket, CancellationToken ct)
    {
        var versions = new HashSet<StoredVersion>();
        var request = new ListVersionsRequest { BucketName = bucket };
        while (true)
        {
            var page = await raw.ListVersionsAsync(request, ct);
            foreach (var version in page.Versions ?? [])
            {
                versions.Add(new StoredVersion(version.Key, version.VersionId, version.IsDeleteMarker == true));
            }

            if (page.IsTruncated != true)
            {
                return versions;
            }

            request.KeyMarker = page.NextKeyMarker;
            request.VersionIdMarker = page.NextVersionIdMarker;
        }
    }

    private static async Task<List<Amazon.S3.Model.MultipartUpload>> UploadsAsync(AmazonS3Client raw, string bucket, CancellationToken ct)
    {
        var uploads = new List<Amazon.S3.Model.MultipartUpload>();
        var request = new ListMultipartUploadsRequest { BucketName = bucket };
        while (true)
        {
            var page = await raw.ListMultipartUploadsAsync(request, ct);
            uploads.AddRange(page.MultipartUploads ?? []);
            if (page.IsTruncated != true)
            {
                return uploads;
            }

            request.KeyMarker = page.NextKeyMarker;
            request.UploadIdMarker = page.NextUploadIdMarker;
        }
    }

    private static async Task<string> ReadAsync(AmazonS3Client raw, string bucket, string key, string? versionId, CancellationToken ct)
    {
        using var response = await raw.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, VersionId = versionId }, ct);
        using var reader = new StreamReader(response.ResponseStream, Encoding.UTF8);
        return await reader.ReadToEndAsync(ct);
    }

    /// <summary>The source bucket, seeded once per moto server: 600 small objects in six folders and two multipart-sized ones.</summary>
    private async Task<string> SourceAsync(CancellationToken ct)
    {
        await SourceGate.WaitAsync(ct);
        try
        {
            if (_source is { } seeded && ReferenceEquals(seeded.Server, moto.Server))
            {
                return seeded.Bucket;
            }

            var bucket = await moto.Server.CreateBucketAsync(versioned: true, ct);
            using var raw = moto.Server.CreateRawClient();
            await Parallel.ForEachAsync(Enumerable.Range(0, SmallObjects), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (i, token) =>
                await raw.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"data/d{i % 6}/f{i:000}.txt", ContentBody = $"object {i}\n", Metadata = { ["n"] = $"{i}" } }, token));
            for (var i = 0; i < 2; i++)
            {
                var bytes = new byte[BigSize];
                new Random(i).NextBytes(bytes);
                await raw.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"data/big/b{i}.bin", InputStream = new MemoryStream(bytes) }, ct);
            }

            _source = (moto.Server, bucket);
            return bucket;
        }
        finally
        {
            SourceGate.Release();
        }
    }

    /// <summary>One object version or delete marker.</summary>
    private sealed record StoredVersion(string Key, string VersionId, bool IsDeleteMarker);
}
