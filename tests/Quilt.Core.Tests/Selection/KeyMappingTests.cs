using Quilt.Core.Errors;
using Quilt.Core.Selection;

namespace Quilt.Core.Tests.Selection;

public sealed class KeyMappingTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("data", "")]
    [InlineData("data/", "data/")]
    [InlineData("data/2024", "data/")]
    [InlineData("a/b/c/", "a/b/c/")]
    [InlineData("/", "/")]
    [InlineData("a//b", "a//")]
    public void NormalizePrefix_Prefix_CutsBackToLastSlash(string prefix, string expected)
    {
        KeyMapping.NormalizePrefix(prefix).ShouldBe(expected);
    }

    [Theory]
    [InlineData("", "a/b.csv", "a/b.csv")]
    [InlineData("data/", "data/2024-01/x.csv", "2024-01/x.csv")]
    [InlineData("data/", "data/", "")]
    [InlineData("/", "//foo/a.txt", "/foo/a.txt")]
    public void RelativePath_KeyUnderPrefix_StripsPrefix(string prefix, string key, string expected)
    {
        KeyMapping.RelativePath(prefix, key).ShouldBe(expected);
    }

    [Fact]
    public void RelativePath_KeyOutsidePrefix_ThrowsInvalidInput()
    {
        Should.Throw<QuiltException>(() => KeyMapping.RelativePath("data/", "Data/x")).Message.ShouldContain("'Data/x'");
    }

    [Fact]
    public void RelativePath_PrefixNotNormalized_ThrowsArgumentException()
    {
        Should.Throw<ArgumentException>(() => KeyMapping.RelativePath("data", "data/x"));
    }

    [Theory]
    [InlineData("a/b/c.csv", true, "a/b/c.csv")]
    [InlineData("a/b/c.csv", false, "c.csv")]
    [InlineData("c.csv", false, "c.csv")]
    [InlineData("dir/", false, "")]
    [InlineData("a b/+%#?.txt", false, "+%#?.txt")]
    public void ToLogicalKey_RelativePath_KeepsPathOrName(string relativePath, bool preserve, string expected)
    {
        KeyMapping.ToLogicalKey(relativePath, preserve).ShouldBe(expected);
    }
}
