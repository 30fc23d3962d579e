using System.Numerics;
using Quilt.Core.Json;

namespace Quilt.Core.Tests.Json;

public sealed class QuiltJsonValueTests
{
    [Fact]
    public void JsonObject_ManyMembersWithDuplicates_KeepsFirstPositionLastValue()
    {
        var members = Enumerable.Range(0, 20).Select(i => new KeyValuePair<string, QuiltJsonValue>("k" + (i % 12), new QuiltJsonInteger(i))).ToArray();
        var obj = new QuiltJsonObject(members);
        obj.Count.ShouldBe(12);
        obj.Names.ShouldBe(Enumerable.Range(0, 12).Select(i => "k" + i));
        obj["k0"].ShouldBe(new QuiltJsonInteger(12));
        obj["k11"].ShouldBe(new QuiltJsonInteger(11));
        obj.ContainsName("k5").ShouldBeTrue();
        obj.ContainsName("k12").ShouldBeFalse();
        obj.TryGetValue("k7", out var value).ShouldBeTrue();
        value.ShouldBe(new QuiltJsonInteger(19));
        obj.TryGetValue("nope", out _).ShouldBeFalse();
        Should.Throw<KeyNotFoundException>(() => obj["nope"]).Message.ShouldContain("nope");
    }

    [Fact]
    public void JsonObject_Parsed_MatchesConstructedFromAnyEnumerable()
    {
        var text = "{" + string.Join(",", Enumerable.Range(0, 15).Select(i => $"\"m{i % 10}\":{i}")) + "}";
        var parsed = JsonText.Parse(text).ShouldBeOfType<QuiltJsonObject>();
        var built = new QuiltJsonObject(Enumerable.Range(0, 15).Select(i => new KeyValuePair<string, QuiltJsonValue>("m" + (i % 10), new QuiltJsonInteger(i))));
        parsed.ShouldBe(built);
        parsed.GetHashCode().ShouldBe(built.GetHashCode());
    }

    [Fact]
    public void JsonObject_WithAndWithout()
    {
        var obj = new QuiltJsonObject([new("a", new QuiltJsonInteger(1)), new("b", new QuiltJsonInteger(2))]);
        obj.With("a", QuiltJsonNull.Instance).Names.ShouldBe(["a", "b"]);
        obj.With("a", QuiltJsonNull.Instance)["a"].ShouldBe(QuiltJsonNull.Instance);
        obj.With("c", QuiltJsonBool.True).Names.ShouldBe(["a", "b", "c"]);
        obj.Without("a").Names.ShouldBe(["b"]);
        obj.Without("zz").ShouldBeSameAs(obj);
        obj.ShouldNotBe(obj.Without("a"));
    }

    [Fact]
    public void JsonObject_EqualityIsOrderAndValueSensitive()
    {
        var ab = new QuiltJsonObject([new("a", new QuiltJsonInteger(1)), new("b", new QuiltJsonInteger(2))]);
        var ba = new QuiltJsonObject([new("b", new QuiltJsonInteger(2)), new("a", new QuiltJsonInteger(1))]);
        var ab3 = new QuiltJsonObject([new("a", new QuiltJsonInteger(1)), new("b", new QuiltJsonInteger(3))]);
        ab.Equals(ba).ShouldBeFalse();
        ab.Equals(ab3).ShouldBeFalse();
        ab.Equals(new QuiltJsonArray([])).ShouldBeFalse();
        ab.Equals((object)new QuiltJsonObject(ab)).ShouldBeTrue();
        ab.Equals((object)"text").ShouldBeFalse();
        ((IEnumerable<KeyValuePair<string, QuiltJsonValue>>)ab).Select(m => m.Key).ShouldBe(["a", "b"]);
        ((System.Collections.IEnumerable)ab).Cast<object>().Count().ShouldBe(2);
        ab[1].Key.ShouldBe("b");
    }

    [Fact]
    public void JsonObject_NullMembers_Throw()
    {
        Should.Throw<ArgumentNullException>(() => new QuiltJsonObject((IEnumerable<KeyValuePair<string, QuiltJsonValue>>)null!));
        Should.Throw<ArgumentNullException>(() => new QuiltJsonObject([new("a", null!)]));
        Should.Throw<ArgumentNullException>(() => new QuiltJsonObject([new(null!, QuiltJsonNull.Instance)]));
    }

    [Fact]
    public void JsonArray_EqualityAndEnumeration()
    {
        var a = new QuiltJsonArray([new QuiltJsonInteger(1), new QuiltJsonString("x")]);
        var b = new QuiltJsonArray(new List<QuiltJsonValue> { new QuiltJsonInteger(1), new QuiltJsonString("x") });
        a.ShouldBe(b);
        a.GetHashCode().ShouldBe(b.GetHashCode());
        a.ShouldNotBe(new QuiltJsonArray([new QuiltJsonInteger(1)]));
        a.Equals(QuiltJsonObject.Empty).ShouldBeFalse();
        a.Count.ShouldBe(2);
        a[1].ShouldBe(new QuiltJsonString("x"));
        a.Kind.ShouldBe(QuiltJsonKind.Array);
        ((System.Collections.IEnumerable)a).Cast<object>().Count().ShouldBe(2);
        Should.Throw<ArgumentNullException>(() => new QuiltJsonArray(null!));
    }

    [Fact]
    public void Truthiness_FollowsPython()
    {
        QuiltJsonNull.Instance.IsTruthy.ShouldBeFalse();
        QuiltJsonBool.False.IsTruthy.ShouldBeFalse();
        QuiltJsonBool.True.IsTruthy.ShouldBeTrue();
        new QuiltJsonInteger(0).IsTruthy.ShouldBeFalse();
        new QuiltJsonInteger(-1).IsTruthy.ShouldBeTrue();
        new QuiltJsonFloat(0.0).IsTruthy.ShouldBeFalse();
        new QuiltJsonFloat(-0.0).IsTruthy.ShouldBeFalse();
        new QuiltJsonFloat(double.NaN).IsTruthy.ShouldBeTrue();
        QuiltJsonString.Empty.IsTruthy.ShouldBeFalse();
        new QuiltJsonString(" ").IsTruthy.ShouldBeTrue();
        QuiltJsonArray.Empty.IsTruthy.ShouldBeFalse();
        QuiltJsonObject.Empty.IsTruthy.ShouldBeFalse();
    }

    [Fact]
    public void Scalars_ToStringKindsAndHashes()
    {
        new QuiltJsonFloat(Math.Pow(2, -25)).ToString().ShouldBe("2.9802322387695312e-08");
        new QuiltJsonFloat(1e16).Kind.ShouldBe(QuiltJsonKind.Float);
        new QuiltJsonInteger(BigInteger.Pow(10, 30)).ToString().ShouldBe("1" + new string('0', 30));
        new QuiltJsonInteger(5).Kind.ShouldBe(QuiltJsonKind.Integer);
        new QuiltJsonInteger(5).GetHashCode().ShouldBe(new QuiltJsonInteger(5).GetHashCode());
        QuiltJsonNull.Instance.ToString().ShouldBe("null");
        QuiltJsonNull.Instance.GetHashCode().ShouldBe(0);
        QuiltJsonBool.From(true).ShouldBeSameAs(QuiltJsonBool.True);
        QuiltJsonBool.From(false).ToString().ShouldBe("false");
        QuiltJsonBool.True.GetHashCode().ShouldNotBe(QuiltJsonBool.False.GetHashCode());
        new QuiltJsonString("s").ToString().ShouldBe("s");
        new QuiltJsonString("s").Kind.ShouldBe(QuiltJsonKind.String);
        Should.Throw<ArgumentNullException>(() => new QuiltJsonString(null!));
    }
}
