using Quilt.Core.Errors;
using Quilt.Core.Selection;

namespace Quilt.Core.Tests.Selection;

public sealed class GlobPatternTests
{
    [Theory]
    // '*' stays within a segment; a pattern without '/' matches the file name at any depth.
    [InlineData("*.csv", "a.csv", true)]
    [InlineData("*.csv", "x/y/z/a.csv", true)]
    [InlineData("*.csv", "a.csv/b.txt", false)]
    [InlineData("*.csv", "a.CSV", false)]
    [InlineData("*.csv", ".csv", true)]
    [InlineData("data.csv", "deep/er/data.csv", true)]
    [InlineData("data.csv", "deep/er/mydata.csv", false)]
    [InlineData("data/*.csv", "data/a.csv", true)]
    [InlineData("data/*.csv", "data/sub/a.csv", false)]
    [InlineData("data/*.csv", "other/data/a.csv", false)]
    [InlineData("a/*/c", "a/b/c", true)]
    [InlineData("a/*/c", "a/b/x/c", false)]
    [InlineData("a/*/c", "a//c", true)]
    // '?' is one character, never '/'.
    [InlineData("?.txt", "a.txt", true)]
    [InlineData("?.txt", "ab.txt", false)]
    [InlineData("a?b", "a/b", false)]
    [InlineData("x/a?b", "x/a/b", false)]
    [InlineData("?", "😀", true)]
    [InlineData("??", "😀", false)]
    [InlineData("*?", "😀", true)]
    // '**' crosses segments; as a whole segment it may also be empty.
    [InlineData("**", "a", true)]
    [InlineData("**", "a/b/c.txt", true)]
    [InlineData("a/**/b", "a/b", true)]
    [InlineData("a/**/b", "a/x/b", true)]
    [InlineData("a/**/b", "a/x/y/b", true)]
    [InlineData("a/**/b", "a/x/y/bb", false)]
    [InlineData("a/**/b", "ab", false)]
    [InlineData("**/x", "x", true)]
    [InlineData("**/x", "a/x", true)]
    [InlineData("**/x", "a/b/c/x", true)]
    [InlineData("**/x", "a/bx", false)]
    [InlineData("logs/**", "logs/a", true)]
    [InlineData("logs/**", "logs/a/b/c", true)]
    [InlineData("logs/**", "logs", false)]
    [InlineData("logs/**", "mylogs/a", false)]
    [InlineData("logs/", "logs/a/b", true)]
    [InlineData("**/*.parquet", "p.parquet", true)]
    [InlineData("**/*.parquet", "y=2024/m=01/p.parquet", true)]
    [InlineData("data/**.csv", "data/a/b.csv", true)]
    [InlineData("***", "a/b", true)]
    // Leading '/' anchors a name-only pattern at the prefix.
    [InlineData("/*.csv", "a.csv", true)]
    [InlineData("/*.csv", "d/a.csv", false)]
    // Character classes.
    [InlineData("[abc].txt", "b.txt", true)]
    [InlineData("[abc].txt", "d.txt", false)]
    [InlineData("file[0-9].txt", "file7.txt", true)]
    [InlineData("file[0-9].txt", "fileA.txt", false)]
    [InlineData("[!a].txt", "b.txt", true)]
    [InlineData("[!a].txt", "a.txt", false)]
    [InlineData("[^a].txt", "a.txt", false)]
    [InlineData("x/[!a]", "x//", false)]
    [InlineData("[]]", "]", true)]
    [InlineData("[!]]", "]", false)]
    [InlineData("[!]]", "x", true)]
    [InlineData("[a-]", "-", true)]
    [InlineData("[-a]", "-", true)]
    [InlineData("[\\]x]", "]", true)]
    [InlineData("[é-ë]", "ê", true)]
    [InlineData("[😀-😂]", "😁", true)]
    [InlineData("[😀-😂]", "😃", false)]
    [InlineData("[!😀]", "😀", false)]
    [InlineData("[!😀]", "😁", true)]
    [InlineData("[!a]", "😀", true)]
    [InlineData("[!--0]", "/", false)]
    [InlineData("[!--0]", "a", true)]
    [InlineData("[\U0001F000-\U0002FFFF]", "\U00020000", true)]
    [InlineData("[\U0001F000-\U0002FFFF]", "\U00030000", false)]
    // Braces: alternatives, with '/' and wildcards inside, nested, decided per alternative.
    [InlineData("*.{csv,tsv}", "a/b.tsv", true)]
    [InlineData("*.{csv,tsv}", "a/b.json", false)]
    [InlineData("{raw,clean}/*.csv", "clean/x.csv", true)]
    [InlineData("{raw,clean}/*.csv", "other/x.csv", false)]
    [InlineData("{*.csv,logs/**}", "deep/a.csv", true)]
    [InlineData("{*.csv,logs/**}", "logs/x/y.txt", true)]
    [InlineData("{*.csv,logs/**}", "deep/logs/y.txt", false)]
    [InlineData("{a,b{c,d}}.txt", "bd.txt", true)]
    [InlineData("{a,b{c,d}}.txt", "b.txt", false)]
    [InlineData("a{,b}.txt", "a.txt", true)]
    [InlineData("a{,b}.txt", "ab.txt", true)]
    [InlineData("{x}.txt", "x.txt", true)]
    [InlineData("[{]a", "{a", true)]
    [InlineData("a}", "a}", true)]
    [InlineData("a,b", "a,b", true)]
    [InlineData("{a\\,b,c}.txt", "a,b.txt", true)]
    [InlineData("{a\\,b,c}.txt", "b.txt", false)]
    [InlineData("{[ab],c}/x", "b/x", true)]
    [InlineData("{[,],c}.txt", ",.txt", true)]
    [InlineData("{x\\{,y}.txt", "x{.txt", true)]
    [InlineData("[!\u0000-\U0010FFFF]", "a", false)]
    // Escapes.
    [InlineData("a\\/b", "a/b", true)]
    [InlineData("a\\/b", "x/a/b", false)]
    [InlineData("\\*.txt", "*.txt", true)]
    [InlineData("\\*.txt", "a.txt", false)]
    [InlineData("a\\?", "a?", true)]
    [InlineData("a\\?", "ab", false)]
    [InlineData("\\{a,b\\}", "{a,b}", true)]
    [InlineData("\\[x]", "[x]", true)]
    [InlineData("back\\\\slash", "back\\slash", true)]
    // Odd characters in keys are literal.
    [InlineData("a b+c#d.txt", "sub/a b+c#d.txt", true)]
    [InlineData("100%.txt", "100%.txt", true)]
    [InlineData("*%*", "a%b", true)]
    [InlineData("q?x", "q?x", true)]
    [InlineData("(x)|y.$", "(x)|y.$", true)]
    [InlineData("(x)|y.$", "x", false)]
    [InlineData("данные/*.csv", "данные/файл.csv", true)]
    [InlineData("*.txt", "line\nbreak.txt", true)]
    [InlineData("*.txt", "a.txt\n", false)]
    [InlineData("^a$", "^a$", true)]
    [InlineData("a.c", "abc", false)]
    [InlineData("Case.txt", "case.txt", false)]
    public void IsMatch_Table(string pattern, string path, bool expected)
    {
        GlobPattern.Parse(pattern).IsMatch(path).ShouldBe(expected, $"pattern '{pattern}' on '{path}'");
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("[abc", "'[' is never closed")]
    [InlineData("a[!", "'[' is never closed")]
    [InlineData("[]", "'[' is never closed")]
    [InlineData("{a,b", "'{' is never closed")]
    [InlineData("x/{a,{b}", "'{' is never closed")]
    [InlineData("abc\\", "unfinished escape")]
    [InlineData("[z-a]", "reversed")]
    [InlineData("[a/b]", "cannot match '/'")]
    [InlineData("[--0]", "cannot match '/'")]
    [InlineData("{,/}", "empty")]
    [InlineData("/", "empty")]
    public void Parse_Malformed_ThrowsInvalidInputNamingPattern(string pattern, string reason)
    {
        var ex = Should.Throw<QuiltException>(() => GlobPattern.Parse(pattern));

        ex.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        ex.Message.ShouldContain($"'{pattern}'");
        ex.Message.ShouldContain(reason);
        ex.Hint.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public void Parse_HugePattern_ThrowsTooComplex()
    {
        var ex = Should.Throw<QuiltException>(() => GlobPattern.Parse(string.Concat(Enumerable.Repeat("[ab]?", 5000))));

        ex.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        ex.Message.ShouldContain("too complex");
    }

    [Fact]
    public void Parse_LoneSurrogate_ThrowsInvalidInput()
    {
        Should.Throw<QuiltException>(() => GlobPattern.Parse("x\ud800")).Message.ShouldContain("lone UTF-16 surrogate");
        Should.Throw<QuiltException>(() => GlobPattern.Parse("[\udc00]")).Message.ShouldContain("lone UTF-16 surrogate");
    }

    [Fact]
    public void Parse_BraceExplosionAcrossFolders_IsRefused()
    {
        var pattern = string.Concat(Enumerable.Repeat("{a/,b/}", 9)) + "x";

        Should.Throw<QuiltException>(() => GlobPattern.Parse(pattern)).Message.ShouldContain("more than 256 alternatives");
    }

    [Fact]
    public void Parse_ManyBraceGroupsWithoutSlashes_StayCompact()
    {
        var glob = GlobPattern.Parse(string.Concat(Enumerable.Repeat("{a,b}", 40)));

        glob.IsMatch(string.Concat(Enumerable.Repeat("ab", 20))).ShouldBeTrue();
        glob.IsMatch("x/" + string.Concat(Enumerable.Repeat("ba", 20))).ShouldBeTrue();
        glob.IsMatch(string.Concat(Enumerable.Repeat("ab", 19)) + "ac").ShouldBeFalse();
    }

    [Fact]
    public void Parse_FolderAlternativesWithinLimit_Work()
    {
        var glob = GlobPattern.Parse(string.Concat(Enumerable.Repeat("{a/,b/}", 8)) + "x");

        glob.IsMatch("a/b/a/b/a/b/b/b/x").ShouldBeTrue();
        glob.IsMatch("a/b/a/b/a/b/b/x").ShouldBeFalse();
    }

    [Fact]
    public void IsMatch_PathologicalPatternOnLongPath_Completes()
    {
        // A backtracking matcher would take exponential time here; the non-backtracking one is linear.
        var glob = GlobPattern.Parse("**a**a**a**a**a**a**a**a**b");

        glob.IsMatch(new string('a', 10_000)).ShouldBeFalse();
    }

    [Fact]
    public void Pattern_And_ToString_ReturnTheText()
    {
        var glob = GlobPattern.Parse("data/**/*.csv");

        glob.Pattern.ShouldBe("data/**/*.csv");
        glob.ToString().ShouldBe("data/**/*.csv");
    }

    [Fact]
    public void NullArguments_Throw()
    {
        Should.Throw<ArgumentNullException>(() => GlobPattern.Parse(null!));
        Should.Throw<ArgumentNullException>(() => GlobPattern.Parse("*").IsMatch(null!));
    }
}
