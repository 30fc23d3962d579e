using Quilt.Core.Errors;
using Quilt.Core.Json;
using Quilt.Core.Manifests;

namespace Quilt.Core.Tests.Manifests;

public sealed class PackageMetadataRulesTests
{
    [Theory]
    [InlineData("""{"x": NaN}""", "$.x", "NaN")]
    [InlineData("""{"x": [1, {"y": -Infinity}]}""", "$.x[1].y", "-Infinity")]
    [InlineData("""{"a b": {"c": Infinity}}""", "$[\"a b\"].c", "Infinity")]
    public void CheckPackageMetadata_NonFiniteNumber_RefusedWithItsPath(string json, string path, string value)
    {
        var error = Should.Throw<PackageMetadataException>(() => PackageMetadataRules.CheckPackageMetadata(JsonText.Parse(json)));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Violation.ShouldBe(PackageMetadataViolation.NonFiniteNumber);
        error.JsonPath.ShouldBe(path);
        error.LogicalKey.ShouldBeNull();
        error.Message.ShouldContain(value + " at " + path);
        error.Hint.ShouldNotBeNull();
    }

    [Theory]
    [InlineData("[1, 2]", "array")]
    [InlineData("\"text\"", "string")]
    [InlineData("12", "integer")]
    public void CheckPackageMetadata_NotAnObject_Refused(string json, string kind)
    {
        var error = Should.Throw<PackageMetadataException>(() => PackageMetadataRules.CheckPackageMetadata(JsonText.Parse(json)));

        error.Violation.ShouldBe(PackageMetadataViolation.NotAnObject);
        error.Message.ShouldContain("not " + kind);
    }

    [Fact]
    public void CheckPackageMetadata_NullOrJsonNull_IsAbsent()
    {
        PackageMetadataRules.CheckPackageMetadata(null).ShouldBeNull();
        PackageMetadataRules.CheckPackageMetadata(QuiltJsonNull.Instance).ShouldBeNull();
    }

    [Fact]
    public void CheckPackageMetadata_FiniteObject_ReturnedAsIs()
    {
        var meta = JsonText.Parse("""{"n": 1.5, "big": 12345678901234567890, "s": "\ud83d\ude00", "l": [null, true]}""");

        PackageMetadataRules.CheckPackageMetadata(meta).ShouldBeSameAs(meta);
    }

    [Fact]
    public void CheckPackageMetadata_OverTheLimit_RefusedAsTooLarge()
    {
        var meta = new QuiltJsonObject([new("blob", new QuiltJsonString(new string('x', 100)))]);

        var error = Should.Throw<PackageMetadataException>(() => PackageMetadataRules.CheckPackageMetadata(meta, maxBytes: 50));

        error.Violation.ShouldBe(PackageMetadataViolation.TooLarge);
        error.Message.ShouldContain("the limit is 50");
    }

    [Fact]
    public void CheckPackageMetadata_LoneSurrogateInValueOrName_RefusedWithItsPath()
    {
        var inValue = new QuiltJsonObject([new("k", new QuiltJsonArray([new QuiltJsonString("a\ud800b")]))]);
        var inName = new QuiltJsonObject([new("bad\udc00", QuiltJsonBool.True)]);

        var value = Should.Throw<PackageMetadataException>(() => PackageMetadataRules.CheckPackageMetadata(inValue));
        var name = Should.Throw<PackageMetadataException>(() => PackageMetadataRules.CheckPackageMetadata(inName));

        value.Violation.ShouldBe(PackageMetadataViolation.LoneSurrogate);
        value.JsonPath.ShouldBe("$.k[0]");
        name.Violation.ShouldBe(PackageMetadataViolation.LoneSurrogate);
        name.JsonPath.ShouldBe("$[\"bad\\\\udc00\"]");
    }

    [Fact]
    public void CheckPackageMetadata_NestedTooDeep_RefusedAsTooDeep()
    {
        QuiltJsonValue value = new QuiltJsonInteger(1);
        for (var i = 0; i < PackageMetadataRules.MaxDepth + 5; i++)
        {
            value = new QuiltJsonArray([value]);
        }

        var error = Should.Throw<PackageMetadataException>(() => PackageMetadataRules.CheckPackageMetadata(new QuiltJsonObject([new("deep", value)])));

        error.Violation.ShouldBe(PackageMetadataViolation.TooDeep);
    }

    [Fact]
    public void CheckEntryMetadata_NonFiniteNumber_RefusedNamingTheEntry()
    {
        var meta = JsonText.Parse("""{"user_meta": {"score": NaN}}""");

        var error = Should.Throw<PackageMetadataException>(() => PackageMetadataRules.CheckEntryMetadata("data/a.csv", meta));

        error.Violation.ShouldBe(PackageMetadataViolation.NonFiniteNumber);
        error.JsonPath.ShouldBe("$.user_meta.score");
        error.LogicalKey.ShouldBe("data/a.csv");
        error.Message.ShouldContain("'data/a.csv'");
    }

    [Fact]
    public void CheckEntryMetadata_NullOrFinite_Accepted()
    {
        PackageMetadataRules.CheckEntryMetadata("a", null);
        PackageMetadataRules.CheckEntryMetadata("a", JsonText.Parse("""{"s3": {"etag": "\"x\""}}"""));
    }
}
