using Quilt.Core.Json;
using Quilt.Core.Schema.Internal;

namespace Quilt.Core.Tests.Schema.Internal;

public sealed class JsonEqualityTests
{
    [Theory]
    [InlineData("1", "1.0", true)]
    [InlineData("100", "1e2", true)]
    [InlineData("1", "true", false)]
    [InlineData("0", "false", false)]
    [InlineData("null", "false", false)]
    [InlineData("\"1\"", "1", false)]
    [InlineData("""{"a": 1, "b": 2}""", """{"b": 2.0, "a": 1}""", true)]
    [InlineData("""{"a": 1}""", """{"a": 1, "b": 2}""", false)]
    [InlineData("[1, [2]]", "[1.0, [2.0]]", true)]
    [InlineData("[1, 2]", "[2, 1]", false)]
    [InlineData("[]", "{}", false)]
    [InlineData("9007199254740993", "9007199254740992.0", false)]
    public void Equals_FollowsJsonSchemaEquality(string a, string b, bool expected)
    {
        var x = TestJson.Parse(a);
        var y = TestJson.Parse(b);

        JsonEquality.Instance.Equals(x, y).ShouldBe(expected);
        JsonEquality.Instance.Equals(y, x).ShouldBe(expected);
        if (expected)
        {
            JsonEquality.Instance.GetHashCode(x).ShouldBe(JsonEquality.Instance.GetHashCode(y));
        }
    }

    [Fact]
    public void Equals_Nulls_AreEqualOnlyToEachOther()
    {
        JsonEquality.Instance.Equals(null, null).ShouldBeTrue();
        JsonEquality.Instance.Equals(null, QuiltJsonNull.Instance).ShouldBeFalse();
        JsonEquality.Instance.Equals(new QuiltJsonFloat(double.NaN), new QuiltJsonFloat(double.NaN)).ShouldBeFalse();
        JsonEquality.Instance.Equals(new QuiltJsonFloat(double.NaN), new QuiltJsonInteger(0)).ShouldBeFalse();
        JsonEquality.Instance.GetHashCode(new QuiltJsonFloat(double.NegativeInfinity)).ShouldBe(double.NegativeInfinity.GetHashCode());
    }
}
