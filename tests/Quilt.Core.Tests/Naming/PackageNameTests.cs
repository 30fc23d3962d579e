using Quilt.Core.Errors;
using Quilt.Core.Naming;
using Quilt.Core.Tests.Hashing;

namespace Quilt.Core.Tests.Naming;

public sealed class PackageNameTests
{
    public static TheoryData<string> ValidVectorNames() => new(ExpectedVectors.Section("package_name").GetProperty("valid").EnumerateArray().Select(e => e.GetString()!));

    public static TheoryData<string> InvalidVectorNames() => new(ExpectedVectors.Section("package_name").GetProperty("invalid").EnumerateArray().Select(e => e.GetString()!));

    [Theory]
    [MemberData(nameof(ValidVectorNames))]
    [InlineData("Quilt/package")]
    [InlineData("a_b-c/D-9_x")]
    [InlineData("-/_")]
    public void Parse_ValidName_RoundTrips(string text)
    {
        var name = PackageName.Parse(text);

        name.ToString().ShouldBe(text);
        PackageName.TryParse(text, out var parsed).ShouldBeTrue();
        parsed.ShouldBe(name);
        $"{name.Namespace}/{name.Name}".ShouldBe(text);
    }

    [Theory]
    [MemberData(nameof(InvalidVectorNames))]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("a b/c")]
    [InlineData("a/b\n")]
    [InlineData("a/b ")]
    [InlineData("a.b/c")]
    [InlineData("é/b")]
    [InlineData("a/b+c")]
    [InlineData("a/١٢")]
    [InlineData("a/b%2F")]
    public void Parse_InvalidName_ThrowsInvalidInputShowingExpectedForm(string text)
    {
        var ex = Should.Throw<QuiltException>(() => PackageName.Parse(text));

        ex.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        ex.Message.ShouldContain("namespace/name");
        ex.Message.ShouldContain("A-Z a-z");
        ex.Message.ShouldContain($"'{text}'");
        ex.Hint.ShouldNotBeNullOrEmpty();
        PackageName.TryParse(text, out var parsed).ShouldBeFalse();
        parsed.ShouldBeNull();
    }

    [Fact]
    public void TryParse_Null_ReturnsFalse()
    {
        PackageName.TryParse(null, out var parsed).ShouldBeFalse();
        parsed.ShouldBeNull();
    }

    [Fact]
    public void Constructor_InvalidPart_ThrowsInvalidInput()
    {
        Should.Throw<QuiltException>(() => new PackageName("a", "b/c")).Message.ShouldContain("'a/b/c'");
        Should.Throw<QuiltException>(() => new PackageName("", "b")).Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        Should.Throw<ArgumentNullException>(() => new PackageName(null!, "b"));
    }

    [Fact]
    public void Record_EqualityAndDeconstruction_UseBothParts()
    {
        var name = new PackageName("team", "data");
        var (ns, n) = name;

        (ns, n).ShouldBe(("team", "data"));
        name.ShouldBe(PackageName.Parse("team/data"));
        name.ShouldNotBe(PackageName.Parse("Team/data"));
    }
}
