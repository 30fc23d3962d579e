using System.Collections.Concurrent;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Quilt.Core.Errors;
using Quilt.Core.Json;
using Quilt.Core.Manifests;
using Quilt.Packaging.Contracts;
using Quilt.Storage;
using Quilt.Testing;

namespace Quilt.Packaging.Tests.Pipeline;

/// <summary>
/// The order of reads and copies against moto: HEAD and COPY of each object go together unless the registry's entries
/// schema needs the objects' metadata, in which case every read comes first and a violation stops the run before any
/// copy.
/// </summary>
public sealed class S3PackageCreatorOrderTests(MotoFixture moto)
{
    private const string EntriesSchema = """
        {"type": "array", "items": {"type": "object", "required": ["meta"], "properties": {"meta": {"type": "object", "required": ["owner"]}}}}
        """;

    private async Task<(string Source, string Registry, AmazonS3Client Raw)> SeedAsync(int objects, bool withWorkflow, string? ownerlessKey = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var source = await moto.Server.CreateBucketAsync(false, ct);
        var registry = await moto.Server.CreateBucketAsync(false, ct);
        var raw = moto.Server.CreateRawClient();
        for (var i = 0; i < objects; i++)
        {
            var key = $"in/obj-{i:00}.txt";
            var put = new PutObjectRequest { BucketName = source, Key = key, ContentBody = $"object {i}" };
            if (key != ownerlessKey)
            {
                put.Metadata["owner"] = "lab";
            }

            await raw.PutObjectAsync(put, ct);
        }

        if (withWorkflow)
        {
            await raw.PutObjectAsync(new PutObjectRequest { BucketName = registry, Key = ".quilt/workflows/entries.json", ContentBody = EntriesSchema }, ct);
            await raw.PutObjectAsync(new PutObjectRequest
            {
                BucketName = registry,
                Key = ".quilt/workflows/config.yml",
                ContentBody = $"version: \"1\"\ndefault_workflow: owned\nworkflows:\n  owned:\n    name: Owned\n    entries_schema: entries\nschemas:\n  entries:\n    url: s3://{registry}/.quilt/workflows/entries.json\n",
            }, ct);
        }

        return (source, registry, raw);
    }

    private (S3ObjectStore Store, ConcurrentQueue<string> Log) RecordingStore(string source)
    {
        var log = new ConcurrentQueue<string>();
        var store = moto.Server.CreateStore(o => o with { HttpHandlerWrapper = inner => new RecordingHandler(inner, source, log) });
        return (store, log);
    }

    private static DirectQuiltOperations SequentialOperations(S3ObjectStore store) =>
        new(new StoreProvider(new LocalObjectStore(), () => store), new PackagingOptions { Concurrency = 1 });

    private static async Task<List<string>> KeysAsync(AmazonS3Client raw, string bucket)
    {
        var response = await raw.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, TestContext.Current.CancellationToken);
        return (response.S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task CreateFromS3_CopyWithMetadataWithoutEntriesSchema_HeadsAndCopiesEachObjectInTurn()
    {
        var (source, registry, _) = await SeedAsync(4, withWorkflow: false);
        var (store, log) = RecordingStore(source);
        using var _ = store;

        var result = await SequentialOperations(store).CreateFromS3Async(
            new CreateFromS3Request { Source = StorageLocation.Parse($"s3://{source}/in/"), PackageName = "lab/turn", TargetRegistry = StorageLocation.S3(registry), Copy = CopyMode.All },
            cancellationToken: TestContext.Current.CancellationToken);

        result.ObjectsCopied.ShouldBe(4);
        log.ShouldBe(["HEAD obj-00", "COPY obj-00", "HEAD obj-01", "COPY obj-01", "HEAD obj-02", "COPY obj-02", "HEAD obj-03", "COPY obj-03"]);
    }

    [Fact]
    public async Task CreateFromS3_EntriesSchemaNeedsObjectMetadata_ReadsEveryObjectBeforeTheFirstCopy()
    {
        var (source, registry, _) = await SeedAsync(3, withWorkflow: true);
        var (store, log) = RecordingStore(source);
        using var _ = store;
        var ops = SequentialOperations(store);

        var result = await ops.CreateFromS3Async(
            new CreateFromS3Request { Source = StorageLocation.Parse($"s3://{source}/in/"), PackageName = "lab/owned", TargetRegistry = StorageLocation.S3(registry), Copy = CopyMode.All },
            cancellationToken: TestContext.Current.CancellationToken);

        log.ShouldBe(["HEAD obj-00", "HEAD obj-01", "HEAD obj-02", "COPY obj-00", "COPY obj-01", "COPY obj-02"]);
        var browse = await ops.BrowseAsync("lab/owned", StorageLocation.S3(registry), result.TopHash, TestContext.Current.CancellationToken);
        browse.Entries.Count.ShouldBe(3);
        var manifest = ManifestReader.Read(await ReadManifestAsync(registry, result.TopHash!));
        ((QuiltJsonObject)manifest.Header["workflow"])["id"].ShouldBe(new QuiltJsonString("owned"));
        manifest.Entries[0].UserMeta.ShouldBe(new QuiltJsonObject([new("owner", new QuiltJsonString("lab"))]));
    }

    [Fact]
    public async Task CreateFromS3_ObjectMetadataViolatesEntriesSchema_FailsNamingTheEntryBeforeAnyCopy()
    {
        var (source, registry, raw) = await SeedAsync(3, withWorkflow: true, ownerlessKey: "in/obj-01.txt");
        var before = await KeysAsync(raw, registry);
        var (store, log) = RecordingStore(source);
        using var _ = store;

        var error = await Should.ThrowAsync<QuiltException>(() => SequentialOperations(store).CreateFromS3Async(
            new CreateFromS3Request { Source = StorageLocation.Parse($"s3://{source}/in/"), PackageName = "lab/owned", TargetRegistry = StorageLocation.S3(registry), Copy = CopyMode.All },
            cancellationToken: TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldContain("obj-01.txt");
        error.Message.ShouldContain("owner");
        log.ShouldAllBe(entry => entry.StartsWith("HEAD ", StringComparison.Ordinal));
        (await KeysAsync(raw, registry)).ShouldBe(before);
    }

    [Fact]
    public async Task CreateFromS3_DryRunWithEntriesSchemaOnMetadata_WarnsThatMetadataIsCheckedOnTheRealRun()
    {
        var (source, registry, raw) = await SeedAsync(2, withWorkflow: true, ownerlessKey: "in/obj-00.txt");
        var before = await KeysAsync(raw, registry);
        using var store = moto.Server.CreateStore();

        var result = await SequentialOperations(store).CreateFromS3Async(
            new CreateFromS3Request { Source = StorageLocation.Parse($"s3://{source}/in/"), PackageName = "lab/dry", TargetRegistry = StorageLocation.S3(registry), Copy = CopyMode.All, DryRun = true },
            cancellationToken: TestContext.Current.CancellationToken);

        result.DryRun.ShouldBeTrue();
        result.Warnings.ShouldContain(w => w.Contains("checked on the real run", StringComparison.Ordinal));
        (await KeysAsync(raw, registry)).ShouldBe(before);
    }

    private async Task<byte[]> ReadManifestAsync(string registry, string topHash)
    {
        using var raw = moto.Server.CreateRawClient();
        using var response = await raw.GetObjectAsync(registry, $".quilt/packages/{topHash}", TestContext.Current.CancellationToken);
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer, TestContext.Current.CancellationToken);
        return buffer.ToArray();
    }

    /// <summary>Records the HEADs and COPYs of source objects, in the order they reach the server.</summary>
    private sealed class RecordingHandler(HttpMessageHandler inner, string sourceBucket, ConcurrentQueue<string> log) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = Uri.UnescapeDataString(request.RequestUri!.AbsolutePath);
            if (request.Method == HttpMethod.Head && path.StartsWith($"/{sourceBucket}/in/", StringComparison.Ordinal))
            {
                log.Enqueue("HEAD " + Path.GetFileNameWithoutExtension(path));
            }
            else if (request.Method == HttpMethod.Put && request.Headers.TryGetValues("x-amz-copy-source", out var copySource))
            {
                log.Enqueue("COPY " + Path.GetFileNameWithoutExtension(Uri.UnescapeDataString(copySource.First()).Split('?')[0]));
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
