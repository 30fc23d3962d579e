using Quilt.Core.Errors;
using Quilt.Core.Naming;
using Quilt.Core.Tests.Hashing;

namespace Quilt.Core.Tests.Naming;

public sealed class PhysicalKeyTests
{
    public static TheoryData<string, string, string, string?> VectorRows()
    {
        var data = new TheoryData<string, string, string, string?>();
        foreach (var row in ExpectedVectors.Rows("physical_key"))
        {
            data.Add(row.GetProperty("url").GetString()!, row.GetProperty("bucket").GetString()!, row.GetProperty("key").GetString()!, row.GetProperty("version_id").GetString());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(VectorRows))]
    public void Parse_VectorUrl_GivesPartsAndFormatsBack(string url, string bucket, string key, string? versionId)
    {
        var parsed = PhysicalKey.Parse(url);

        parsed.IsS3.ShouldBeTrue();
        parsed.IsLocal.ShouldBeFalse();
        parsed.Bucket.ShouldBe(bucket);
        parsed.Key.ShouldBe(key);
        parsed.VersionId.ShouldBe(versionId);
        parsed.LocalPath.ShouldBeNull();
        parsed.ToString().ShouldBe(url);
        PhysicalKey.S3(bucket, key, versionId).ShouldBe(parsed);
        PhysicalKey.S3(bucket, key, versionId).ToString().ShouldBe(url);
    }

    [Theory]
    [InlineData("sub/a b+c#d.txt", null, "s3://qreg/sub/a%20b%2Bc%23d.txt")]
    [InlineData("данные.csv", null, "s3://qreg/%D0%B4%D0%B0%D0%BD%D0%BD%D1%8B%D0%B5.csv")]
    [InlineData("a~b-c_d.e/f", null, "s3://qreg/a~b-c_d.e/f")]
    [InlineData("100%/q?x=1&y", null, "s3://qreg/100%25/q%3Fx%3D1%26y")]
    [InlineData("😀", null, "s3://qreg/%F0%9F%98%80")]
    [InlineData("k", "a b/+=~", "s3://qreg/k?versionId=a+b%2F%2B%3D~")]
    [InlineData("k", "null", "s3://qreg/k?versionId=null")]
    [InlineData("", null, "s3://qreg/")]
    [InlineData("dir/", null, "s3://qreg/dir/")]
    [InlineData("tab\tnl\n", null, "s3://qreg/tab%09nl%0A")]
    public void ToString_S3Key_EncodesLikeQuilt3AndParsesBack(string key, string? versionId, string expected)
    {
        var physical = PhysicalKey.S3("qreg", key, versionId);

        physical.ToString().ShouldBe(expected);
        PhysicalKey.Parse(expected).ShouldBe(physical);
    }

    [Theory]
    [InlineData("/home/u/a b.txt", "file:///home/u/a%20b.txt")]
    [InlineData("/tmp/данные+#?.csv", "file:///tmp/%D0%B4%D0%B0%D0%BD%D0%BD%D1%8B%D0%B5%2B%23%3F.csv")]
    [InlineData("/", "file:///")]
    [InlineData("/dir/", "file:///dir/")]
    [InlineData("C:/Users/me/a b.txt", "file:///C:/Users/me/a%20b.txt")]
    [InlineData("/C:/x", "file:///C%3A/x")]
    public void ToString_LocalPath_IsFileUrlAndParsesBack(string path, string expected)
    {
        var physical = PhysicalKey.Local(path);

        physical.IsLocal.ShouldBeTrue();
        physical.IsS3.ShouldBeFalse();
        physical.LocalPath.ShouldBe(path);
        physical.VersionId.ShouldBeNull();
        physical.ToString().ShouldBe(expected);
        PhysicalKey.Parse(expected).ShouldBe(physical);
    }

    [Fact]
    public void Local_WindowsBackslashPath_IsNormalizedToForwardSlashes()
    {
        var physical = PhysicalKey.Local(@"D:\data\x.csv");

        physical.LocalPath.ShouldBe("D:/data/x.csv");
        physical.ToString().ShouldBe("file:///D:/data/x.csv");
    }

    [Theory]
    [InlineData("s3://bucket/a+b", "a+b", null)]
    [InlineData("s3://bucket/a b", "a b", null)]
    [InlineData("s3://bucket/100%zz", "100%zz", null)]
    [InlineData("s3://bucket/%7e", "~", null)]
    [InlineData("s3://bucket/😀%20x", "😀 x", null)]
    [InlineData("s3://bucket/d%C3%A9j%C3%A0-vu+", "déjà-vu+", null)]
    [InlineData("S3://bucket/k", "k", null)]
    [InlineData("s3://bucket", "", null)]
    [InlineData("s3://bucket/k?versionId=", "k", null)]
    [InlineData("s3://bucket/k?", "k", null)]
    [InlineData("s3://bucket/k?versionId=a+b%2F", "k", "a b/")]
    [InlineData("s3://bucket/k?versionId=&versionId=v2", "k", "v2")]
    [InlineData("s3://bucket/k?versionId=v1&versionId=v2", "k", "v1")]
    [InlineData("s3://bucket/k?versionId=v1&", "k", "v1")]
    public void Parse_LenientS3Forms_DecodeLikeQuilt3(string url, string key, string? versionId)
    {
        var parsed = PhysicalKey.Parse(url);

        parsed.Bucket.ShouldBe("bucket");
        parsed.Key.ShouldBe(key);
        parsed.VersionId.ShouldBe(versionId);
    }

    [Theory]
    [InlineData("file://localhost/tmp/x", "/tmp/x")]
    [InlineData("file:/tmp/x", "/tmp/x")]
    [InlineData("file:///tmp/x?", "/tmp/x")]
    [InlineData("FILE:///tmp/a+b", "/tmp/a+b")]
    public void Parse_LenientFileForms_GiveThePath(string url, string path)
    {
        PhysicalKey.Parse(url).LocalPath.ShouldBe(path);
    }

    [Theory]
    [InlineData("", "scheme")]
    [InlineData("bucket/key", "scheme")]
    [InlineData("http://bucket/key", "scheme")]
    [InlineData("s3:/bucket/key", "bucket is missing")]
    [InlineData("s3:///key", "bucket is missing")]
    [InlineData("s3://bu cket/key", "bucket name")]
    [InlineData("s3://user@bucket/key", "bucket name")]
    [InlineData("s3://bucket:9000/key", "bucket name")]
    [InlineData("s3://bucket/key#frag", "'#'")]
    [InlineData("s3://bucket/key?versionId=1&foo=2", "unexpected query")]
    [InlineData("s3://bucket/key?foo", "unexpected query")]
    [InlineData("s3://bucket/%FF", "not valid UTF-8")]
    [InlineData("s3://bucket/k?versionId=%C3", "not valid UTF-8")]
    [InlineData("file://host/tmp/x", "unexpected host")]
    [InlineData("file://", "path is missing")]
    [InlineData("file:relative/x", "relative")]
    [InlineData("file:///tmp/x?a=1", "query")]
    [InlineData("file:///tmp/%80", "not valid UTF-8")]
    public void Parse_BadUrl_ThrowsInvalidInputWithReason(string url, string reason)
    {
        var ex = Should.Throw<QuiltException>(() => PhysicalKey.Parse(url));

        ex.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        ex.Message.ShouldContain(reason);
        ex.Message.ShouldContain($"'{url}'");
        ex.Hint.ShouldNotBeNullOrEmpty();
        PhysicalKey.TryParse(url, out var parsed).ShouldBeFalse();
        parsed.ShouldBeNull();
    }

    [Fact]
    public void Parse_LoneSurrogateBesideEscape_ThrowsInvalidInput()
    {
        Should.Throw<QuiltException>(() => PhysicalKey.Parse("s3://bucket/%20\ud800")).Message.ShouldContain("not valid UTF-8");
    }

    [Fact]
    public void TryParse_Null_ReturnsFalse()
    {
        PhysicalKey.TryParse(null, out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("my bucket")]
    [InlineData("b/c")]
    public void S3_BadBucket_ThrowsInvalidInput(string bucket)
    {
        Should.Throw<QuiltException>(() => PhysicalKey.S3(bucket, "k")).Kind.ShouldBe(QuiltErrorKind.InvalidInput);
    }

    [Fact]
    public void S3_LoneSurrogate_ThrowsInvalidInput()
    {
        Should.Throw<QuiltException>(() => PhysicalKey.S3("b", "x\ud800")).Message.ShouldContain("surrogate");
        Should.Throw<QuiltException>(() => PhysicalKey.S3("b", "x", "\udc00")).Message.ShouldContain("surrogate");
        Should.Throw<QuiltException>(() => PhysicalKey.Local("/x\ud800")).Message.ShouldContain("surrogate");
    }

    [Fact]
    public void S3_EmptyVersionId_MeansNoVersion()
    {
        PhysicalKey.S3("b", "k", "").ShouldBe(PhysicalKey.S3("b", "k"));
        PhysicalKey.S3("b", "k", "").ToString().ShouldBe("s3://b/k");
    }

    [Theory]
    [InlineData("relative/x")]
    [InlineData("")]
    [InlineData("C:relative")]
    [InlineData("~/x")]
    public void Local_RelativePath_ThrowsInvalidInput(string path)
    {
        Should.Throw<QuiltException>(() => PhysicalKey.Local(path)).Message.ShouldContain("not absolute");
    }

    [Fact]
    public void BucketAndKey_OnLocalKey_ThrowInvalidOperation()
    {
        var local = PhysicalKey.Local("/tmp/x");

        Should.Throw<InvalidOperationException>(() => local.Bucket).Message.ShouldContain("file:///tmp/x");
        Should.Throw<InvalidOperationException>(() => local.Key);
        Should.Throw<InvalidOperationException>(() => local.WithVersionId("v"));
    }

    [Fact]
    public void WithVersionId_S3Key_ReplacesOnlyTheVersion()
    {
        var key = PhysicalKey.S3("b", "dir/k", "v1");

        key.WithVersionId("v2").ShouldBe(PhysicalKey.S3("b", "dir/k", "v2"));
        key.WithVersionId(null).ToString().ShouldBe("s3://b/dir/k");
    }

    [Fact]
    public void Equality_DistinguishesSchemesVersionsAndKeys()
    {
        PhysicalKey.S3("b", "k").ShouldNotBe(PhysicalKey.S3("b", "k", "v"));
        PhysicalKey.S3("b", "k").ShouldNotBe(PhysicalKey.S3("b", "K"));
        PhysicalKey.S3("b", "/k").ShouldNotBe(PhysicalKey.S3("b", "k"));
        PhysicalKey.Local("/k").ShouldNotBe(PhysicalKey.S3("b", "k"));
    }
}
