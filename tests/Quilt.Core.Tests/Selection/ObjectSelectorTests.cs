using Quilt.Core.Errors;
using Quilt.Core.Selection;

namespace Quilt.Core.Tests.Selection;

public sealed class ObjectSelectorTests
{
    [Theory]
    [InlineData("a.csv")]
    [InlineData("x/y/z")]
    [InlineData("odd name+%#?.txt")]
    public void IsSelected_NoPatterns_SelectsEverything(string path)
    {
        new ObjectSelector(null, null).IsSelected(path).ShouldBeTrue();
        new ObjectSelector([], []).IsSelected(path).ShouldBeTrue();
        ObjectSelector.All.IsSelected(path).ShouldBeTrue();
    }

    [Theory]
    [InlineData("a.csv", true)]
    [InlineData("d/a.csv", true)]
    [InlineData("d/a.tsv", true)]
    [InlineData("d/a.json", false)]
    [InlineData("tmp/a.csv", false)]
    [InlineData("d/tmp/a.csv", true)]
    [InlineData("d/_draft.csv", false)]
    public void IsSelected_IncludeAndExclude_ExcludeBeatsInclude(string path, bool expected)
    {
        var selector = new ObjectSelector(["*.csv", "*.tsv"], ["tmp/**", "_*"]);

        selector.IsSelected(path).ShouldBe(expected);
    }

    [Fact]
    public void IsSelected_SamePatternIncludedAndExcluded_IsExcluded()
    {
        new ObjectSelector(["*.csv"], ["*.csv"]).IsSelected("a.csv").ShouldBeFalse();
    }

    [Fact]
    public void IsSelected_OnlyExcludes_SelectsTheRest()
    {
        var selector = new ObjectSelector(null, ["**/.DS_Store", "*.tmp"]);

        selector.IsSelected("a/.DS_Store").ShouldBeFalse();
        selector.IsSelected("x.tmp").ShouldBeFalse();
        selector.IsSelected("x.txt").ShouldBeTrue();
    }

    [Fact]
    public void Constructor_BadPattern_ThrowsNamingIt()
    {
        Should.Throw<QuiltException>(() => new ObjectSelector(["*.csv"], ["[oops"])).Message.ShouldContain("'[oops'");
        Should.Throw<QuiltException>(() => new ObjectSelector([""], null)).Kind.ShouldBe(QuiltErrorKind.InvalidInput);
    }

    [Fact]
    public void Constructor_ExposesCompiledPatterns()
    {
        var selector = new ObjectSelector(["a", "b"], ["c"]);

        selector.Include.Select(p => p.Pattern).ShouldBe(["a", "b"]);
        selector.Exclude.Select(p => p.Pattern).ShouldBe(["c"]);
    }
}
