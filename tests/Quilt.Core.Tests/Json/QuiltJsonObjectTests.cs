using Quilt.Core.Json;

namespace Quilt.Core.Tests.Json;

public sealed class QuiltJsonObjectTests
{
    [Fact]
    public void Constructor_DuplicateName_KeepsFirstPositionAndLastValue()
    {
        var obj = new QuiltJsonObject([
            new("a", new QuiltJsonInteger(1)),
            new("b", QuiltJsonBool.True),
            new("a", new QuiltJsonString("x")),
        ]);

        obj.Names.ShouldBe(["a", "b"]);
        obj["a"].ShouldBe(new QuiltJsonString("x"));
    }

    [Fact]
    public void Equals_FloatNaN_EqualsItselfButNegativeZeroDiffersFromZero()
    {
        new QuiltJsonFloat(double.NaN).ShouldBe(new QuiltJsonFloat(double.NaN));
        new QuiltJsonFloat(-0.0).Equals(new QuiltJsonFloat(0.0)).ShouldBeFalse();
    }
}
