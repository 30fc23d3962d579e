using System.Numerics;
using Quilt.Core.Json;

namespace Quilt.Core.Tests.Json;

public sealed class JsonValueTests
{
    [Fact]
    public void JsonObject_ManyMembersWithDuplicates_KeepsFirstPositionLastValue()
    {
        var members = Enumerable.Range(0, 20).Select(i => new KeyValuePair<string, JsonValue>("k" + (i % 12), new JsonInteger(i))).ToArray();
        var obj = new JsonObject(members);
        obj.Count.ShouldBe(12);
        obj.Names.ShouldBe(Enumerable.Range(0, 12).Select(i => "k" + i));
        obj["k0"].ShouldBe(new JsonInteger(12));
        obj["k11"].ShouldBe(new JsonInteger(11));
        obj.ContainsName("k5").ShouldBeTrue();
        obj.ContainsName("k12").ShouldBeFalse();
        obj.TryGetValue("k7", out var value).ShouldBeTrue();
        value.ShouldBe(new JsonInteger(19));
        obj.TryGetValue("nope", out _).ShouldBeFalse();
        Should.Throw<KeyNotFoundException>(() => obj["nope"]).Message.ShouldContain("nope");
    }

    [Fact]
    public void JsonObject_Parsed_MatchesConstructedFromAnyEnumerable()
    {
        var text = "{" + string.Join(",", Enumerable.Range(0, 15).Select(i => $"\"m{i % 10}\":{i}")) + "}";
        var parsed = JsonText.Parse(text).ShouldBeOfType<JsonObject>();
        var built = new JsonObject(Enumerable.Range(0, 15).Select(i => new KeyValuePair<string, JsonValue>("m" + (i % 10), new JsonInteger(i))));
        parsed.ShouldBe(built);
        parsed.GetHashCode().ShouldBe(built.GetHashCode());
    }

    [Fact]
    public void JsonObject_WithAndWithout()
    {
        var obj = new JsonObject([new("a", new JsonInteger(1)), new("b", new JsonInteger(2))]);
        obj.With("a", JsonNull.Instance).Names.ShouldBe(["a", "b"]);
        obj.With("a", JsonNull.Instance)["a"].ShouldBe(JsonNull.Instance);
        obj.With("c", JsonBool.True).Names.ShouldBe(["a", "b", "c"]);
        obj.Without("a").Names.ShouldBe(["b"]);
        obj.Without("zz").ShouldBeSameAs(obj);
        obj.ShouldNotBe(obj.Without("a"));
    }

    [Fact]
    public void JsonObject_EqualityIsOrderAndValueSensitive()
    {
        var ab = new JsonObject([new("a", new JsonInteger(1)), new("b", new JsonInteger(2))]);
        var ba = new JsonObject([new("b", new JsonInteger(2)), new("a", new JsonInteger(1))]);
        var ab3 = new JsonObject([new("a", new JsonInteger(1)), new("b", new JsonInteger(3))]);
        ab.Equals(ba).ShouldBeFalse();
        ab.Equals(ab3).ShouldBeFalse();
        ab.Equals(new JsonArray([])).ShouldBeFalse();
        ab.Equals((object)new JsonObject(ab)).ShouldBeTrue();
        ab.Equals((object)"text").ShouldBeFalse();
        ((IEnumerable<KeyValuePair<string, JsonValue>>)ab).Select(m => m.Key).ShouldBe(["a", "b"]);
        ((System.Collections.IEnumerable)ab).Cast<object>().Count().ShouldBe(2);
        ab[1].Key.ShouldBe("b");
    }

    [Fact]
    public void JsonObject_NullMembers_Throw()
    {
        Should.Throw<ArgumentNullException>(() => new JsonObject((IEnumerable<KeyValuePair<string, JsonValue>>)null!));
        Should.Throw<ArgumentNullException>(() => new JsonObject([new("a", null!)]));
        Should.Throw<ArgumentNullException>(() => new JsonObject([new(null!, JsonNull.Instance)]));
    }

    [Fact]
    public void JsonArray_EqualityAndEnumeration()
    {
        var a = new JsonArray([new JsonInteger(1), new JsonString("x")]);
        var b = new JsonArray(new List<JsonValue> { new JsonInteger(1), new JsonString("x") });
        a.ShouldBe(b);
        a.GetHashCode().ShouldBe(b.GetHashCode());
        a.ShouldNotBe(new JsonArray([new JsonInteger(1)]));
        a.Equals(JsonObject.Empty).ShouldBeFalse();
        a.Count.ShouldBe(2);
        a[1].ShouldBe(new JsonString("x"));
        a.Kind.ShouldBe(JsonValueKind.Array);
        ((System.Collections.IEnumerable)a).Cast<object>().Count().ShouldBe(2);
        Should.Throw<ArgumentNullException>(() => new JsonArray(null!));
    }

    [Fact]
    public void Truthiness_FollowsPython()
    {
        JsonNull.Instance.IsTruthy.ShouldBeFalse();
        JsonBool.False.IsTruthy.ShouldBeFalse();
        JsonBool.True.IsTruthy.ShouldBeTrue();
        new JsonInteger(0).IsTruthy.ShouldBeFalse();
        new JsonInteger(-1).IsTruthy.ShouldBeTrue();
        new JsonFloat(0.0).IsTruthy.ShouldBeFalse();
        new JsonFloat(-0.0).IsTruthy.ShouldBeFalse();
        new JsonFloat(double.NaN).IsTruthy.ShouldBeTrue();
        JsonString.Empty.IsTruthy.ShouldBeFalse();
        new JsonString(" ").IsTruthy.ShouldBeTrue();
        JsonArray.Empty.IsTruthy.ShouldBeFalse();
        JsonObject.Empty.IsTruthy.ShouldBeFalse();
    }

    [Fact]
    public void Scalars_ToStringKindsAndHashes()
    {
        new JsonFloat(Math.Pow(2, -25)).ToString().ShouldBe("2.9802322387695312e-08");
        new JsonFloat(1e16).Kind.ShouldBe(JsonValueKind.Float);
        new JsonInteger(BigInteger.Pow(10, 30)).ToString().ShouldBe("1" + new string('0', 30));
        new JsonInteger(5).Kind.ShouldBe(JsonValueKind.Integer);
        new JsonInteger(5).GetHashCode().ShouldBe(new JsonInteger(5).GetHashCode());
        JsonNull.Instance.ToString().ShouldBe("null");
        JsonNull.Instance.GetHashCode().ShouldBe(0);
        JsonBool.From(true).ShouldBeSameAs(JsonBool.True);
        JsonBool.From(false).ToString().ShouldBe("false");
        JsonBool.True.GetHashCode().ShouldNotBe(JsonBool.False.GetHashCode());
        new JsonString("s").ToString().ShouldBe("s");
        new JsonString("s").Kind.ShouldBe(JsonValueKind.String);
        Should.Throw<ArgumentNullException>(() => new JsonString(null!));
    }
}
