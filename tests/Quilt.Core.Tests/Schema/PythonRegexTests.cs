using Quilt.Core.Errors;
using Quilt.Core.Schema;

namespace Quilt.Core.Tests.Schema;

public sealed class PythonRegexTests
{
    [Theory]
    [InlineData(@"^a\Z", @"^a\z")]
    [InlineData(@"[\Z]", @"[\Z]")]
    [InlineData(@"(?P<year>\d{4})-(?P=year)", @"(?<year>\d{4})-\k<year>")]
    [InlineData(@"a{,3}", @"a{0,3}")]
    [InlineData(@"a{,}", @"a{,}")]
    [InlineData(@"a{,x}", @"a{,x}")]
    [InlineData(@"[]{,3}]", @"[\]{,3}]")]
    [InlineData(@"[^]]", @"[^\]]")]
    [InlineData(@"\\Z", @"\\Z")]
    [InlineData(@"trailing\", @"trailing\")]
    public void Translate_PythonOnlyConstructs_BecomeDotNet(string python, string expected)
    {
        PythonRegex.Translate(python).ShouldBe(expected);
    }

    [Fact]
    public void Search_IsUnanchored()
    {
        var regex = PythonRegex.Compile("^team/");

        PythonRegex.Search(regex, "team/pkg").ShouldBeTrue();
        PythonRegex.Search(regex, "other/team/pkg").ShouldBeFalse();
        PythonRegex.Search(PythonRegex.Compile("pkg"), "team/pkg2").ShouldBeTrue();
    }

    [Fact]
    public void Compile_InvalidPattern_ThrowsInvalidInput()
    {
        var error = Should.Throw<QuiltException>(() => PythonRegex.Compile("a)"));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldStartWith("'a)' is not a valid regular expression");
    }

    [Fact]
    public void Arguments_Null_Throw()
    {
        Should.Throw<ArgumentNullException>(() => PythonRegex.Compile(null!));
        Should.Throw<ArgumentNullException>(() => PythonRegex.Search(null!, "x"));
        Should.Throw<ArgumentNullException>(() => PythonRegex.Search(PythonRegex.Compile("x"), null!));
    }
}
