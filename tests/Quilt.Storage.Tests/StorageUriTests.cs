using Quilt.Core.Errors;

namespace Quilt.Storage.Tests;

public sealed class StorageUriTests
{
    [Theory]
    [InlineData("s3://bucket", "bucket", "")]
    [InlineData("s3://bucket/", "bucket", "")]
    [InlineData("s3://bucket/prefix/", "bucket", "prefix/")]
    [InlineData("S3://bucket/a b/c%20d?x#y", "bucket", "a b/c%20d?x#y")]
    [InlineData("s3://my.bucket-1/данные/", "my.bucket-1", "данные/")]
    public void Parse_S3Uris_KeepTheKeyAsWritten(string text, string bucket, string key)
    {
        var uri = StorageUri.Parse(text);

        uri.ShouldBe(new StorageUri("s3", bucket, key));
        uri.IsS3.ShouldBeTrue();
        uri.ToString().ShouldBe($"s3://{bucket}/{key}");
    }

    [Theory]
    [InlineData("file:///data/reg", "/data/reg")]
    [InlineData("file:///data/reg/", "/data/reg")]
    [InlineData("file://localhost/data/a%20b", "/data/a b")]
    [InlineData("file:///data/%D0%B4", "/data/д")]
    [InlineData("/abs/folder", "/abs/folder")]
    public void Parse_LocalForms_GiveAbsoluteFolderAsBucket(string text, string folder)
    {
        var uri = StorageUri.Parse(text);

        uri.ShouldBe(new StorageUri("file", folder, string.Empty));
        uri.IsS3.ShouldBeFalse();
    }

    [Fact]
    public void Parse_RelativePath_IsMadeAbsolute()
    {
        var uri = StorageUri.Parse("some/relative dir");

        uri.Bucket.ShouldBe(Path.GetFullPath("some/relative dir"));
        uri.ToString().ShouldBe("file://" + Path.GetFullPath("some/relative dir").Replace(" ", "%20", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("s3://")]
    [InlineData("s3:///key")]
    [InlineData("s3://bad bucket/key")]
    [InlineData("file://otherhost/data")]
    [InlineData("file://")]
    [InlineData("file:///data?x=1")]
    [InlineData("http://example.com/x")]
    [InlineData("gs://bucket/x")]
    public void Parse_Invalid_ThrowsInvalidInputWithHint(string text)
    {
        var error = Should.Throw<QuiltException>(() => StorageUri.Parse(text));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Hint.ShouldNotBeNullOrWhiteSpace();
    }
}
