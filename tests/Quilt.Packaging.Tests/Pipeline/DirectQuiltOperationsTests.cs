using Quilt.Core.Errors;
using Quilt.Packaging.Contracts;

namespace Quilt.Packaging.Tests.Pipeline;

public sealed class DirectQuiltOperationsTests
{
    [Fact]
    public async Task ListObjects_LocalFolderWithDelimiter_ReturnsFoldersAndPages()
    {
        using var f = new LocalPackagingFixture();
        f.Write("a.txt", "1");
        f.Write("b.txt", "2");
        f.Write("sub/c.txt", "3");

        var keys = new List<string>();
        var prefixes = new List<string>();
        var pages = 0;
        string? token = null;
        do
        {
            var page = await f.Operations.ListObjectsAsync(StorageLocation.Parse(f.Source), "/", 1, token, TestContext.Current.CancellationToken);
            (page.Objects.Count + page.CommonPrefixes.Count).ShouldBeLessThanOrEqualTo(1);
            keys.AddRange(page.Objects.Select(o => o.Key));
            prefixes.AddRange(page.CommonPrefixes);
            token = page.NextContinuationToken;
            page.IsTruncated.ShouldBe(token is not null);
            pages++;
        }
        while (token is not null && pages < 10);

        keys.ShouldBe(["a.txt", "b.txt"]);
        prefixes.ShouldBe(["sub/"]);
        pages.ShouldBe(3);
    }

    [Fact]
    public async Task ListObjects_MaxKeysOutOfRange_IsInvalidInput()
    {
        using var f = new LocalPackagingFixture();

        var error = await Should.ThrowAsync<QuiltException>(() => f.Operations.ListObjectsAsync(StorageLocation.Parse(f.Source), maxKeys: 0, cancellationToken: TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
    }

    [Fact]
    public async Task GetObjectInfo_LocalFile_ReportsSizeAndType()
    {
        using var f = new LocalPackagingFixture();
        var path = f.Write("data.csv", "x,y\n");

        var info = await f.Operations.GetObjectInfoAsync(StorageLocation.Parse(path), TestContext.Current.CancellationToken);

        info.Size.ShouldBe(4);
        info.ContentType.ShouldBe("text/csv");
        info.Uri.ShouldStartWith("file:///");
    }

    [Fact]
    public async Task GetObjectInfo_MissingFile_IsNotFound()
    {
        using var f = new LocalPackagingFixture();

        var error = await Should.ThrowAsync<QuiltException>(() => f.Operations.GetObjectInfoAsync(StorageLocation.Parse(Path.Combine(f.Source, "nope.txt")), TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.NotFound);
    }

    [Fact]
    public async Task GetUploadUrl_LocalFile_IsInvalidInput()
    {
        using var f = new LocalPackagingFixture();

        var error = await Should.ThrowAsync<QuiltException>(() => f.Operations.GetUploadUrlAsync(StorageLocation.Parse(Path.Combine(f.Source, "x.txt")), TimeSpan.FromMinutes(5), TestContext.Current.CancellationToken));

        error.Message.ShouldContain("S3");
    }

    [Fact]
    public async Task Create_ExplicitFiles_NamesEntriesByFileName()
    {
        using var f = new LocalPackagingFixture();
        var a = f.Write("x/a.txt", "1");
        var b = f.Write("y/b.txt", "22");

        var result = await f.Operations.CreateAsync(new CreatePackageRequest { PackageName = "p/q", TargetRegistry = StorageLocation.Parse(f.Registry), Files = [StorageLocation.Parse(a), StorageLocation.Parse(b)], Copy = CopyMode.None }, cancellationToken: TestContext.Current.CancellationToken);

        var browse = await f.Operations.BrowseAsync("p/q", StorageLocation.Parse(f.Registry), result.TopHash, TestContext.Current.CancellationToken);
        browse.Entries.Select(e => (e.LogicalKey, e.Size)).ShouldBe([("a.txt", 1L), ("b.txt", 2L)]);
    }

    [Fact]
    public async Task Create_NoFiles_SaysFilesAreRequiredAndHowToProceed()
    {
        using var f = new LocalPackagingFixture();

        var error = await Should.ThrowAsync<QuiltException>(() => f.Operations.CreateAsync(new CreatePackageRequest { PackageName = "p/q", TargetRegistry = StorageLocation.Parse(f.Registry), Files = [] }, cancellationToken: TestContext.Current.CancellationToken));

        error.Message.ShouldContain("Package creation requires a list of files");
        error.Hint!.ShouldContain("presigned upload URL");
        error.Reason.ShouldBe(QuiltErrorReason.FilesRequired);
        error.Field.ShouldBe(QuiltInputField.Files);
    }

    [Fact]
    public async Task Create_SameFileNameTwice_ReportsCollision()
    {
        using var f = new LocalPackagingFixture();
        var a = f.Write("x/a.txt", "1");
        var b = f.Write("y/a.txt", "2");

        var error = await Should.ThrowAsync<QuiltException>(() => f.Operations.CreateAsync(new CreatePackageRequest { PackageName = "p/q", TargetRegistry = StorageLocation.Parse(f.Registry), Files = [StorageLocation.Parse(a), StorageLocation.Parse(b)] }, cancellationToken: TestContext.Current.CancellationToken));

        error.Message.ShouldContain("a.txt");
        f.RegistryFiles().ShouldBeEmpty();
    }

    [Fact]
    public async Task ListPackages_TwoPackages_SortedWithLatestAndRevisions()
    {
        using var f = new LocalPackagingFixture();
        f.Write("a.txt", "1");
        var one = await f.Operations.CreateFromS3Async(new CreateFromS3Request { Source = StorageLocation.Parse(f.Source), PackageName = "b/two", TargetRegistry = StorageLocation.Parse(f.Registry) }, cancellationToken: TestContext.Current.CancellationToken);
        await f.Operations.CreateFromS3Async(new CreateFromS3Request { Source = StorageLocation.Parse(f.Source), PackageName = "a/one", TargetRegistry = StorageLocation.Parse(f.Registry) }, cancellationToken: TestContext.Current.CancellationToken);

        var list = await f.Operations.ListPackagesAsync(StorageLocation.Parse(f.Registry), TestContext.Current.CancellationToken);

        list.Packages.Select(p => p.PackageName).ShouldBe(["a/one", "b/two"]);
        list.Packages[1].LatestTopHash.ShouldBe(one.TopHash);
        list.Packages[1].Revisions.ShouldBe(1);
    }

    [Fact]
    public async Task Browse_MissingPackage_IsNotFoundWithHint()
    {
        using var f = new LocalPackagingFixture();

        var error = await Should.ThrowAsync<QuiltException>(() => f.Operations.BrowseAsync("no/pkg", StorageLocation.Parse(f.Registry), cancellationToken: TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.NotFound);
        error.Hint.ShouldNotBeNull();
    }

    [Fact]
    public async Task Browse_TamperedManifest_IsIntegrityError()
    {
        using var f = new LocalPackagingFixture();
        f.Write("a.txt", "1");
        var result = await f.Operations.CreateFromS3Async(new CreateFromS3Request { Source = StorageLocation.Parse(f.Source), PackageName = "a/b", TargetRegistry = StorageLocation.Parse(f.Registry) }, cancellationToken: TestContext.Current.CancellationToken);
        var manifest = Path.Combine(f.Registry, ".quilt", "packages", result.TopHash!);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"size\": 1", "\"size\": 2", StringComparison.Ordinal));

        var error = await Should.ThrowAsync<QuiltException>(() => f.Operations.BrowseAsync("a/b", StorageLocation.Parse(f.Registry), cancellationToken: TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.Integrity);
        var verify = await f.Operations.VerifyAsync("a/b", StorageLocation.Parse(f.Registry), cancellationToken: TestContext.Current.CancellationToken);
        verify.IsValid.ShouldBeFalse();
    }

    [Fact]
    public async Task Browse_PointerWithTrailingNewline_IsIntegrityError()
    {
        using var f = new LocalPackagingFixture();
        var dir = Path.Combine(f.Registry, ".quilt", "named_packages", "a", "b");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "latest"), new string('a', 64) + "\n");

        var error = await Should.ThrowAsync<QuiltException>(() => f.Operations.BrowseAsync("a/b", StorageLocation.Parse(f.Registry), cancellationToken: TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.Integrity);
    }

    [Theory]
    [InlineData("s3://Bad_Bucket")]
    [InlineData("s3://ab")]
    [InlineData("ftp://x/y")]
    [InlineData("   ")]
    public async Task ListPackages_InvalidRegistry_IsInvalidInput(string registry)
    {
        using var f = new LocalPackagingFixture();

        var error = await Should.ThrowAsync<QuiltException>(() => f.Operations.ListPackagesAsync(StorageLocation.Parse(registry), TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
    }
}
