using System.Net;
using Amazon.S3.Model;
using Quilt.Core.Errors;
using Quilt.Packaging.Contracts;
using Quilt.Storage;
using Quilt.Testing;

namespace Quilt.Packaging.Tests.Pipeline;

/// <summary>
/// Sources a real user meets that the happy path does not: a bucket that refuses GetBucketVersioning (read-only and
/// public buckets), keys that end in '/' but hold data, and a local folder packaged into an S3 registry.
/// </summary>
public sealed class S3SourceEdgeTests(MotoFixture moto) : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("quilt-state-").FullName;

    private DirectQuiltOperations Operations(S3ObjectStore store) =>
        new(new StoreProvider(new LocalObjectStore(), () => store), new PackagingOptions { StateDirectory = _state });

    [Fact]
    public async Task CreateFromS3_SourceRefusesGetBucketVersioningInPlace_PackagesWithoutVersionIds()
    {
        var ct = TestContext.Current.CancellationToken;
        var source = await moto.Server.CreateBucketAsync(versioned: false, ct);
        var registry = await moto.Server.CreateBucketAsync(versioned: false, ct);
        using var raw = moto.Server.CreateRawClient();
        await raw.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "pub/a.csv", ContentBody = "1,2\n" }, ct);
        var refusals = 0;
        using var store = moto.Server.CreateStore(o => o with
        {
            HttpHandlerWrapper = inner => new S3FaultHandler(inner, (request, _) =>
            {
                if (request.RequestUri!.Query.Contains("versioning", StringComparison.Ordinal) && request.RequestUri.AbsolutePath.Contains(source, StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref refusals);
                    return (HttpStatusCode.Forbidden, "AccessDenied");
                }

                return null;
            }),
        });

        var result = await Operations(store).CreateFromS3Async(new CreateFromS3Request
        {
            Source = StorageLocation.Parse($"s3://{source}/pub/"),
            PackageName = "pub/data",
            TargetRegistry = StorageLocation.Parse($"s3://{registry}"),
            Copy = CopyMode.None,
        }, cancellationToken: ct);

        refusals.ShouldBeGreaterThan(0);
        result.ObjectsReferenced.ShouldBe(1);
        var entry = (await Operations(store).BrowseAsync("pub/data", StorageLocation.Parse($"s3://{registry}"), cancellationToken: ct)).Entries.Single();
        entry.PhysicalKey.ShouldBe($"s3://{source}/pub/a.csv");
    }

    [Fact]
    public async Task CreateFromS3_KeyEndingInSlashHoldsData_SkippedWithAWarningAndTheRestPackaged()
    {
        var ct = TestContext.Current.CancellationToken;
        var source = await moto.Server.CreateBucketAsync(versioned: false, ct);
        var registry = await moto.Server.CreateBucketAsync(versioned: false, ct);
        using var raw = moto.Server.CreateRawClient();
        await raw.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "d/a.csv", ContentBody = "1\n" }, ct);
        await raw.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "d/empty-marker/", ContentBody = "" }, ct);
        await raw.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = "d/odd/", ContentBody = "data under a folder-like key" }, ct);
        using var store = moto.Server.CreateStore();

        var result = await Operations(store).CreateFromS3Async(new CreateFromS3Request
        {
            Source = StorageLocation.Parse($"s3://{source}/d/"),
            PackageName = "d/pkg",
            TargetRegistry = StorageLocation.Parse($"s3://{registry}"),
            Copy = CopyMode.All,
        }, cancellationToken: ct);

        result.Skipped.FolderMarkers.ShouldBe(1);
        result.Skipped.FolderKeysWithData.ShouldBe(1);
        result.Skipped.FolderKeysWithDataSample.ShouldBe(["d/odd/"]);
        result.Warnings.ShouldContain(w => w.Contains("d/odd/", StringComparison.Ordinal) && w.Contains("ends in '/'", StringComparison.Ordinal));
        var browse = await Operations(store).BrowseAsync("d/pkg", StorageLocation.Parse($"s3://{registry}"), cancellationToken: ct);
        browse.Entries.Select(e => e.LogicalKey).ShouldBe(["a.csv"]);
    }

    [Fact]
    public async Task CreateFromS3_LocalFolderIntoS3Registry_RefusedBeforeAnythingIsWritten()
    {
        var ct = TestContext.Current.CancellationToken;
        var registry = await moto.Server.CreateBucketAsync(versioned: true, ct);
        var folder = Directory.CreateTempSubdirectory("quilt-local-src-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "a.txt"), "local", ct);
        using var store = moto.Server.CreateStore();
        using var raw = moto.Server.CreateRawClient();

        var error = await Should.ThrowAsync<QuiltException>(() => Operations(store).CreateFromS3Async(new CreateFromS3Request
        {
            Source = StorageLocation.Parse(folder),
            PackageName = "local/pkg",
            TargetRegistry = StorageLocation.Parse($"s3://{registry}"),
            Copy = CopyMode.None,
        }, cancellationToken: ct));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldContain("cannot reference local files");
        error.Hint.ShouldNotBeNull();
        error.Hint.ShouldContain("Upload the files to S3 first");
        var versions = await raw.ListVersionsAsync(new ListVersionsRequest { BucketName = registry }, ct);
        (versions.Versions ?? []).ShouldBeEmpty();
        Directory.Delete(folder, recursive: true);
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
