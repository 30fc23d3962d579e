using Quilt.Core.Json;

namespace Quilt.Core.Tests.Json;

public sealed class JsonObjectTests
{
    [Fact]
    public void Constructor_DuplicateName_KeepsFirstPositionAndLastValue()
    {
        var obj = new JsonObject([
            new("a", new JsonInteger(1)),
            new("b", JsonBool.True),
            new("a", new JsonString("x")),
        ]);

        obj.Names.ShouldBe(["a", "b"]);
        obj["a"].ShouldBe(new JsonString("x"));
    }

    [Fact]
    public void Equals_FloatNaN_EqualsItselfButNegativeZeroDiffersFromZero()
    {
        new JsonFloat(double.NaN).ShouldBe(new JsonFloat(double.NaN));
        new JsonFloat(-0.0).Equals(new JsonFloat(0.0)).ShouldBeFalse();
    }
}
