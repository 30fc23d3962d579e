using Quilt.Core.Errors;
using Quilt.Core.Naming;

namespace Quilt.Storage.Tests;

public sealed class StorageLocationTests
{
    [Theory]
    [InlineData("s3://bucket", "bucket", "", "s3://bucket")]
    [InlineData("s3://bucket/", "bucket", "", "s3://bucket")]
    [InlineData("s3://bucket/prefix/", "bucket", "prefix/", "s3://bucket/prefix/")]
    [InlineData("S3://bucket/a b/c%20d?x#y", "bucket", "a b/c%20d?x#y", "s3://bucket/a b/c%20d?x#y")]
    [InlineData("s3://my.bucket-1/данные/", "my.bucket-1", "данные/", "s3://my.bucket-1/данные/")]
    [InlineData("  s3://bucket/key", "bucket", "key", "s3://bucket/key")]
    [InlineData("s3://bucket/key  ", "bucket", "key  ", "s3://bucket/key  ")]
    public void Parse_S3Uris_KeepTheKeyAsWritten(string text, string bucket, string key, string shown)
    {
        var location = StorageLocation.Parse(text);

        location.ShouldBe(StorageLocation.S3(bucket, key));
        location.IsS3.ShouldBeTrue();
        location.Scheme.ShouldBe("s3");
        location.VersionId.ShouldBeNull();
        location.ToString().ShouldBe(shown);
        StorageLocation.Parse(location.ToString()).ShouldBe(location);
    }

    [Theory]
    [InlineData("s3://bucket/a/b.csv?versionId=v1", "a/b.csv", "v1")]
    [InlineData("s3://bucket/a.csv?versionId=a%2Bb", "a.csv", "a+b")]
    [InlineData("s3://bucket/q?x=1/a.csv?versionId=null", "q?x=1/a.csv", "null")]
    public void Parse_S3WithVersionId_SplitsOffTheVersion(string text, string key, string versionId)
    {
        var location = StorageLocation.Parse(text);

        location.ShouldBe(StorageLocation.S3("bucket", key, versionId));
        location.ToObject().ShouldBe(new ObjectLocation("bucket", key, versionId));
        StorageLocation.Parse(location.ToString()).ShouldBe(location);
    }

    [Theory]
    [InlineData("file:///data/reg", "/data/reg")]
    [InlineData("file:///data/reg/", "/data/reg")]
    [InlineData("file://localhost/data/a%20b", "/data/a b")]
    [InlineData("file:///data/%D0%B4", "/data/д")]
    [InlineData("/abs/folder", "/abs/folder")]
    [InlineData("/abs/folder/", "/abs/folder")]
    public void Parse_LocalForms_GiveAbsoluteFolderAsBucket(string text, string folder)
    {
        var location = StorageLocation.Parse(text);

        location.ShouldBe(StorageLocation.Local(folder));
        location.Bucket.ShouldBe(folder);
        location.Key.ShouldBe(string.Empty);
        location.IsS3.ShouldBeFalse();
        location.Scheme.ShouldBe("file");
    }

    [Fact]
    public void Parse_RelativePath_IsMadeAbsolute()
    {
        var location = StorageLocation.Parse("some/relative dir");

        location.Bucket.ShouldBe(Path.GetFullPath("some/relative dir"));
        location.ToString().ShouldBe("file://" + Path.GetFullPath("some/relative dir").Replace(" ", "%20", StringComparison.Ordinal));
        StorageLocation.Parse(location.ToString()).ShouldBe(location);
    }

    [Theory]
    [InlineData("samples")]
    [InlineData("my-bucket")]
    [InlineData("./samples")]
    public void Parse_BareWord_IsALocalPathNotABucket(string text)
    {
        var location = StorageLocation.Parse(text);

        location.IsS3.ShouldBeFalse();
        location.Bucket.ShouldBe(Path.GetFullPath(text).TrimEnd('/'));
    }

    [Fact]
    public void Parse_HomeFolder_IsExpanded()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

        StorageLocation.Parse("~/data").Bucket.ShouldBe(Path.Combine(home, "data"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("s3://")]
    [InlineData("s3:///key")]
    [InlineData("s3://bad bucket/key")]
    [InlineData("s3://Upper/key")]
    [InlineData("s3://ab/key")]
    [InlineData("s3://bucket/key?versionId=")]
    [InlineData("file://otherhost/data")]
    [InlineData("file://")]
    [InlineData("file:///data?x=1")]
    [InlineData("http://example.com/x")]
    [InlineData("gs://bucket/x")]
    public void Parse_Invalid_ThrowsInvalidInputWithHint(string text)
    {
        var error = Should.Throw<QuiltException>(() => StorageLocation.Parse(text));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Hint.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Below_AppendsAPrefixToTheKey()
    {
        StorageLocation.S3("bucket").Below("data/").ShouldBe(StorageLocation.S3("bucket", "data/"));
        StorageLocation.S3("bucket", "base").Below("x").ShouldBe(StorageLocation.S3("bucket", "base/x"));
        StorageLocation.S3("bucket", "base/").Below("").ShouldBe(StorageLocation.S3("bucket", "base/"));
    }

    [Fact]
    public void ToObject_LocalFile_SplitsFolderAndName_AndRefusesABucket()
    {
        StorageLocation.Local("/data/a.csv").ToObject().ShouldBe(new ObjectLocation("/data", "a.csv"));
        Should.Throw<QuiltException>(() => StorageLocation.S3("bucket").ToObject()).Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        Should.Throw<QuiltException>(() => StorageLocation.S3("bucket", "dir/").ToObject()).Kind.ShouldBe(QuiltErrorKind.InvalidInput);
    }

    [Fact]
    public void Of_PhysicalKey_KeepsTheDecodedKeyAndVersion()
    {
        StorageLocation.Of(PhysicalKey.Parse("s3://bucket/a%20b.txt?versionId=v2")).ShouldBe(StorageLocation.S3("bucket", "a b.txt", "v2"));
        StorageLocation.Of(PhysicalKey.Parse("file:///data/a%20b.txt")).ShouldBe(StorageLocation.Local("/data/a b.txt"));
    }
}
