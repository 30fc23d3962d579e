using Quilt.Core.Errors;
using Quilt.Core.Naming;
using Quilt.Core.Tests.Hashing;

namespace Quilt.Core.Tests.Naming;

public sealed class LogicalKeysTests
{
    public static TheoryData<string> InvalidVectorKeys() => new(ExpectedVectors.Section("logical_key").GetProperty("invalid").EnumerateArray().Select(e => e.GetString()!));

    [Theory]
    [MemberData(nameof(InvalidVectorKeys))]
    [InlineData("/foo")]
    [InlineData("a//b")]
    [InlineData("x/..")]
    [InlineData("./x")]
    [InlineData("/")]
    [InlineData("//")]
    public void Validate_InvalidKey_ThrowsInvalidInputNamingKeyAndRule(string key)
    {
        var ex = Should.Throw<QuiltException>(() => LogicalKeys.Validate(key));

        ex.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        ex.Message.ShouldContain($"'{key}'");
        ex.Message.ShouldContain(LogicalKeys.GetViolation(key)!);
        LogicalKeys.IsValid(key).ShouldBeFalse();
    }

    [Theory]
    [InlineData("a")]
    [InlineData("a/b/c.csv")]
    [InlineData("куилт.txt")]
    [InlineData("sub/a b+c#d.txt")]
    [InlineData("...")]
    [InlineData(".hidden/..x/x..")]
    [InlineData("back\\slash")]
    [InlineData("100%/?*[x]{a,b}")]
    [InlineData("emoji/😀")]
    [InlineData(" ")]
    [InlineData("tab\there")]
    public void Validate_ValidKey_DoesNotThrow(string key)
    {
        LogicalKeys.Validate(key);
        LogicalKeys.IsValid(key).ShouldBeTrue();
        LogicalKeys.GetViolation(key).ShouldBeNull();
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a/", "ends with '/'")]
    [InlineData("/a", "starts with '/'")]
    [InlineData("a//b", "'//'")]
    [InlineData("a/./b", "'.' path segment")]
    [InlineData("a/../b", "'..' path segment")]
    public void GetViolation_InvalidKey_DescribesTheRule(string key, string expected)
    {
        LogicalKeys.GetViolation(key)!.ShouldContain(expected);
    }

    [Fact]
    public void IsValid_Null_IsFalse()
    {
        LogicalKeys.IsValid(null).ShouldBeFalse();
    }
}
