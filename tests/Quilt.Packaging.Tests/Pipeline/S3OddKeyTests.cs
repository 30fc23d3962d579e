using Amazon.S3.Model;
using Quilt.Packaging.Contracts;
using Quilt.Storage;
using Quilt.Testing;

namespace Quilt.Packaging.Tests.Pipeline;

/// <summary>
/// Keys that need URL encoding, against moto: physical keys in manifests are encoded (as quilt3 writes and reads
/// them), locations people type are raw keys (as the AWS CLI takes them).
/// </summary>
public sealed class S3OddKeyTests(MotoFixture moto)
{
    private static readonly string[] OddKeys = ["odd/a b.txt", "odd/plus+sign.txt", "odd/percent%20literal.txt", "odd/q?x=1&y#z.txt", "odd/данные 😀.txt"];

    private static DirectQuiltOperations Operations(S3ObjectStore store) =>
        new(new StoreProvider(new LocalObjectStore(), () => store), new PackagingOptions { Concurrency = 4 });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Verify_PackageInPlaceWithOddKeys_FindsEveryObjectByItsEncodedPhysicalKey(bool versioned)
    {
        var ct = TestContext.Current.CancellationToken;
        var source = await moto.Server.CreateBucketAsync(versioned, ct);
        var registry = await moto.Server.CreateBucketAsync(versioned, ct);
        using var raw = moto.Server.CreateRawClient();
        foreach (var key in OddKeys)
        {
            await raw.PutObjectAsync(new PutObjectRequest { BucketName = source, Key = key, ContentBody = "content of " + key }, ct);
        }

        using var store = moto.Server.CreateStore();
        var ops = Operations(store);
        var created = await ops.CreateFromS3Async(new CreateFromS3Request { Source = StorageLocation.Parse($"s3://{source}/odd/"), PackageName = "lab/odd", TargetRegistry = StorageLocation.S3(registry), Copy = CopyMode.None }, cancellationToken: ct);
        var browse = await ops.BrowseAsync("lab/odd", StorageLocation.S3(registry), created.TopHash, ct);

        browse.Entries.ShouldAllBe(e => !e.PhysicalKey.Contains(' ', StringComparison.Ordinal));
        browse.Entries.ShouldContain(e => e.PhysicalKey.StartsWith($"s3://{source}/odd/percent%2520literal.txt", StringComparison.Ordinal));
        var verify = await ops.VerifyAsync("lab/odd", StorageLocation.S3(registry), created.TopHash, ct);
        verify.Problems.ShouldBeEmpty();
        verify.IsValid.ShouldBeTrue();
        verify.EntriesChecked.ShouldBe(OddKeys.Length);
    }

    [Fact]
    public async Task GetObjectInfo_TypedUriWithVersionId_KeyIsTakenRaw()
    {
        var ct = TestContext.Current.CancellationToken;
        var bucket = await moto.Server.CreateBucketAsync(true, ct);
        using var raw = moto.Server.CreateRawClient();
        var put = await raw.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "pl%2Bus a.txt", ContentBody = "v1" }, ct);
        await raw.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "pl%2Bus a.txt", ContentBody = "version two" }, ct);
        using var store = moto.Server.CreateStore();
        var ops = Operations(store);

        var latest = await ops.GetObjectInfoAsync(StorageLocation.Parse($"s3://{bucket}/pl%2Bus a.txt"), ct);
        var first = await ops.GetObjectInfoAsync(StorageLocation.Parse($"s3://{bucket}/pl%2Bus a.txt?versionId={put.VersionId}"), ct);

        latest.Size.ShouldBe(11);
        first.Size.ShouldBe(2);
        first.VersionId.ShouldBe(put.VersionId);
    }

    [Fact]
    public async Task GetObjectInfo_EmptyVersionId_IsInvalidInputWithHint()
    {
        using var store = moto.Server.CreateStore();

        var error = await Should.ThrowAsync<Quilt.Core.Errors.QuiltException>(() => Operations(store).GetObjectInfoAsync(StorageLocation.Parse("s3://some-bucket/key?versionId="), TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(Quilt.Core.Errors.QuiltErrorKind.InvalidInput);
        error.Hint.ShouldNotBeNull();
    }
}
