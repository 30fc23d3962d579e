using System.Net.Http.Headers;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Quilt.Catalog.Tests.Fakes;
using Quilt.Catalog.Tests.TestRegistry;
using Quilt.Core.Hashing;
using Quilt.Packaging.Contracts;
using Quilt.Testing;
using System.Text.Json.Nodes;

namespace Quilt.Catalog.Tests;

/// <summary>
/// Catalog mode end to end against a real S3-compatible server (moto): the default S3 store made from the temporary
/// credentials the test registry hands out, version pinning, object metadata and stored checksums as S3 returns them.
/// </summary>
public sealed class CatalogMotoTests(GraphQLValidator validator, MotoFixture moto) : IAsyncLifetime
{
    private FakeRegistry _registry = null!;
    private CapturingLoggerProvider _logs = null!;
    private CatalogConnection _connection = null!;
    private AmazonS3Client _raw = null!;
    private RegistryUser _mona = null!;
    private string _source = null!;
    private string _target = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _registry = await FakeRegistry.StartAsync(validator);
        _source = await moto.Server.CreateBucketAsync(versioned: true, Ct);
        _target = await moto.Server.CreateBucketAsync(versioned: true, Ct);
        _mona = _registry.AddUser("mona-" + Guid.NewGuid().ToString("N"), "mona", _source, _target);
        _logs = new CapturingLoggerProvider();
        _connection = new CatalogConnection(
            new CatalogOptions { RegistryUrl = _registry.Url.AbsoluteUri, S3ServiceUrl = moto.Server.Endpoint, Region = MotoServer.Region },
            loggerFactory: _logs.CreateFactory());
        _raw = moto.Server.CreateRawClient();
    }

    public async ValueTask DisposeAsync()
    {
        _raw.Dispose();
        _connection.Dispose();
        await _registry.DisposeAsync();
    }

    private IQuiltOperations Ops => _connection.ForToken(_mona.Token);

    private async Task<string> PutAsync(string key, string text, string? contentType = null, bool checksum = false, params (string Name, string Value)[] metadata)
    {
        var request = new PutObjectRequest
        {
            BucketName = _source,
            Key = key,
            ContentBody = text,
            ContentType = contentType ?? "application/octet-stream",
        };
        if (checksum)
        {
            request.ChecksumAlgorithm = ChecksumAlgorithm.SHA256;
        }

        foreach (var (name, value) in metadata)
        {
            request.Metadata[name] = value;
        }

        return (await _raw.PutObjectAsync(request, Ct)).VersionId;
    }

    private JsonArray Entries(int call = 0) => _registry.CallsTo("packageConstruct")[call].Args["src"]!["entries"]!.AsArray();

    [Fact]
    public async Task CreateFromS3_OnMoto_PinsVersionsAndCarriesS3Metadata()
    {
        var csv = await PutAsync("in/a.csv", "x,y\n1,2\n", "text/csv", checksum: true, ("owner", "mona"), ("Stage", "raw"));
        await PutAsync("in/deep/b.json", "{\"old\": true}");
        var json = await PutAsync("in/deep/b.json", "{\"new\": true}", "application/json");
        await PutAsync("in/skip.tmp", "tmp");

        var result = await Ops.CreateFromS3Async(new CreateFromS3Request
        {
            Source = StorageLocation.Parse($"s3://{_source}/in"),
            PackageName = "mona/data",
            TargetRegistry = StorageLocation.S3(_target),
            ExcludePatterns = ["*.tmp"],
            Message = "from moto",
            Copy = CopyMode.None, // entries as constructed; promotion is the test registry's, not moto's
        }, null, Ct);

        var entries = Entries();
        entries.Count.ShouldBe(2);
        var a = entries.Single(e => e!["logicalKey"]!.GetValue<string>() == "in/a.csv")!;
        a["physicalKey"]!.GetValue<string>().ShouldBe($"s3://{_source}/in/a.csv?versionId={csv}");
        a["size"]!.GetValue<double>().ShouldBe(8);
        a["hash"]!["value"]!.GetValue<string>().ShouldBe(ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, Encoding.UTF8.GetBytes("x,y\n1,2\n")).Value);
        a["meta"]!["user_meta"]!["owner"]!.GetValue<string>().ShouldBe("mona");
        a["meta"]!["s3"]!["content_type"]!.GetValue<string>().ShouldBe("text/csv");
        a["meta"]!["s3"]!["version_id"]!.GetValue<string>().ShouldBe(csv);
        a["meta"]!["s3"]!["source"]!.GetValue<string>().ShouldBe($"s3://{_source}/in/a.csv?versionId={csv}");
        var b = entries.Single(e => e!["logicalKey"]!.GetValue<string>() == "in/deep/b.json")!;
        b["physicalKey"]!.GetValue<string>().ShouldBe($"s3://{_source}/in/deep/b.json?versionId={json}");
        b["size"]!.GetValue<double>().ShouldBe(13);
        b["meta"]!["s3"]!["content_type"]!.GetValue<string>().ShouldBe("application/json");
        result.Skipped.ShouldBe(new SkippedCounts(0, 1));
        result.Requests.ByOperation["HeadObject"].ShouldBe(2);
        result.TopHash.ShouldBe(_registry.Latest(_target, "mona/data"));
        _registry.ValidationFailures.ShouldBeEmpty();
        _registry.ExecutionErrors.ShouldBeEmpty();
        _logs.Lines.ShouldAllBe(l => !l.Contains(_mona.Token) && !l.Contains("secret-mona") && !l.Contains("session-mona"));
    }

    [Fact]
    public async Task CreateFromS3_OnMotoWithHashLimit_ClientHashesExactly()
    {
        var big = new string('q', 3 * 1024 * 1024);
        await PutAsync("h/small.txt", "small");
        await PutAsync("h/big.txt", big);
        _registry.MaxFilesToHash = 1;

        var result = await Ops.CreateFromS3Async(new CreateFromS3Request
        {
            Source = StorageLocation.Parse($"s3://{_source}/h/"),
            PackageName = "mona/hashed",
            TargetRegistry = StorageLocation.S3(_target),
            PreserveMetadata = false,
            Copy = CopyMode.None,
        }, null, Ct);

        var entries = Entries(1);
        entries.Single(e => e!["logicalKey"]!.GetValue<string>() == "big.txt")!["hash"]!["value"]!.GetValue<string>()
            .ShouldBe(ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, Encoding.UTF8.GetBytes(big)).Value);
        entries.Single(e => e!["logicalKey"]!.GetValue<string>() == "small.txt")!["hash"]!["value"]!.GetValue<string>()
            .ShouldBe(ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, Encoding.UTF8.GetBytes("small")).Value);
        result.HashesByStep.Values.Sum().ShouldBe(2);
        result.HashesByStep.ContainsKey("small_object_get").ShouldBeTrue();
        result.Warnings.ShouldHaveSingleItem().ShouldContain("TooManyFilesToHash");
    }

    [Fact]
    public async Task UploadUrlThenCreate_OnMoto_PackagesTheUploadedFile()
    {
        var upload = await Ops.GetUploadUrlAsync(StorageLocation.Parse($"s3://{_target}/uploads/report.txt"), TimeSpan.FromMinutes(10), Ct);
        using (var http = new HttpClient())
        using (var body = new ByteArrayContent(Encoding.UTF8.GetBytes("uploaded by mona")))
        {
            body.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            using var response = await http.PutAsync(upload.UploadUrl, body, Ct);
            response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync(Ct));
        }

        var info = await Ops.GetObjectInfoAsync(StorageLocation.Parse(upload.Uri), Ct);
        var listing = await Ops.ListObjectsAsync(StorageLocation.S3(_target, "uploads/"), null, 100, null, Ct);
        var result = await Ops.CreateAsync(new CreatePackageRequest { PackageName = "mona/report", TargetRegistry = StorageLocation.Parse("s3://" + _target), Files = [StorageLocation.Parse(upload.Uri)] }, null, Ct);

        info.Size.ShouldBe(16);
        info.VersionId.ShouldNotBeNull();
        listing.Objects.ShouldHaveSingleItem().Key.ShouldBe("uploads/report.txt");
        Entries().ShouldHaveSingleItem()!["physicalKey"]!.GetValue<string>().ShouldBe($"s3://{_target}/uploads/report.txt?versionId={info.VersionId}");
        result.ObjectsReferenced.ShouldBe(1);
        _registry.CallsTo("packagePromote").ShouldBeEmpty();
    }

    [Fact]
    public async Task Verify_OnMoto_ChecksARevisionWithTheTemporaryCredentials()
    {
        await PutAsync("v/a.txt", "verify me");
        using var ownStore = moto.Server.CreateStore();
        var direct = new Packaging.DirectQuiltOperations(new Packaging.StoreProvider(new Storage.LocalObjectStore(), () => ownStore));
        var created = await direct.CreateFromS3Async(new CreateFromS3Request { Source = StorageLocation.Parse($"s3://{_source}/v/"), PackageName = "mona/verified", TargetRegistry = StorageLocation.S3(_target), Copy = CopyMode.None }, null, Ct);

        var verified = await Ops.VerifyAsync("mona/verified", StorageLocation.Parse("s3://" + _target), null, Ct);

        verified.IsValid.ShouldBeTrue(string.Join("; ", verified.Problems));
        verified.TopHash.ShouldBe(created.TopHash);
        verified.EntriesChecked.ShouldBe(1);
    }
}
