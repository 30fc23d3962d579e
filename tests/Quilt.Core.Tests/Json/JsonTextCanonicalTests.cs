using FsCheck;
using FsCheck.Fluent;
using Quilt.Core.Json;

namespace Quilt.Core.Tests.Json;

public sealed class JsonTextCanonicalTests
{
    /// <summary>
    /// Input JSON text → what Python 3.11 prints for
    /// <c>json.JSONEncoder(sort_keys=True, separators=(',', ':')).encode(json.loads(text))</c> (checked by hand).
    /// </summary>
    public static TheoryData<string, string> PythonTable => new()
    {
        { "{\"b\":1,\"a\":[1,2.5,\"x\"]}", "{\"a\":[1,2.5,\"x\"],\"b\":1}" },
        { "{\"version\": \"v0\", \"message\": null}", "{\"message\":null,\"version\":\"v0\"}" },
        { "\"\\u00e9\\u20ac\\ud83d\\ude00\"", "\"\\u00e9\\u20ac\\ud83d\\ude00\"" },
        { "\"é€😀\"", "\"\\u00e9\\u20ac\\ud83d\\ude00\"" },
        { "\"куилт.txt\"", "\"\\u043a\\u0443\\u0438\\u043b\\u0442.txt\"" },
        { "\"a/b\\\\c\\\"d\"", "\"a/b\\\\c\\\"d\"" },
        { "\"\\u0000\\u001f\\u007f\\b\\f\\n\\r\\t\"", "\"\\u0000\\u001f\\u007f\\b\\f\\n\\r\\t\"" },
        { "\"\\ud800x\"", "\"\\ud800x\"" },
        { "\"\\u2028\\u2029\\u0085\"", "\"\\u2028\\u2029\\u0085\"" },
        { "\"<>&'+\"", "\"<>&'+\"" },
        { "[1e2,1.50,-0.0,0.0,-0,1E400,-1E400,NaN]", "[100.0,1.5,-0.0,0.0,0,Infinity,-Infinity,NaN]" },
        { "[123456789012345678901234567890,-9223372036854775809]", "[123456789012345678901234567890,-9223372036854775809]" },
        {
            "[1e16,1e15,1e-05,0.0001,2.5e-07,1.5e+300,5e-324,1.7976931348623157e308]",
            "[1e+16,1000000000000000.0,1e-05,0.0001,2.5e-07,1.5e+300,5e-324,1.7976931348623157e+308]"
        },
        {
            "{\"\\uffff\":1,\"\\ud83d\\ude00\":2,\"\\ue000\":3,\"Z\":4,\"a\":5,\"B\":6}",
            "{\"B\":6,\"Z\":4,\"a\":5,\"\\ue000\":3,\"\\uffff\":1,\"\\ud83d\\ude00\":2}"
        },
        { "{\"a\":{\"d\":1,\"c\":{\"f\":[],\"e\":{}}}}", "{\"a\":{\"c\":{\"e\":{},\"f\":[]},\"d\":1}}" },
        { "{\"a\":1,\"a\":2}", "{\"a\":2}" },
        { "[true, false, null]", "[true,false,null]" },
        { "0.1", "0.1" },
        { "[0.30000000000000004, 1e22, 1e23, 9007199254740993]", "[0.30000000000000004,1e+22,1e+23,9007199254740993]" },
        { "{\"a-c\":1,\"a/b\":2,\"a\":3}", "{\"a\":3,\"a-c\":1,\"a/b\":2}" },
    };

    [Theory]
    [MemberData(nameof(PythonTable))]
    public void SerializeCanonical_KnownInputs_MatchPython(string input, string python) =>
        JsonText.SerializeCanonical(JsonText.Parse(input)).ShouldBe(python);

    [Fact]
    public void SerializeCanonical_NonAsciiKey_IsEscapedNotRaw()
    {
        // The top-hash pitfall: hashing "куилт.txt" raw instead of \u-escaped gives a different top hash.
        var canonical = JsonText.SerializeCanonical(new QuiltJsonObject([new("logical_key", new QuiltJsonString("куилт.txt"))]));
        canonical.ShouldBe("{\"logical_key\":\"\\u043a\\u0443\\u0438\\u043b\\u0442.txt\"}");
        canonical.All(c => c < 0x80).ShouldBeTrue();
    }

    [Fact]
    public void SerializeCanonical_LoneSurrogates_AreEscapedAsThemselves() =>
        JsonText.SerializeCanonical(new QuiltJsonString("\udc00\ud800")).ShouldBe("\"\\udc00\\ud800\"");

    [Fact]
    public void SerializeCanonical_SupplementaryKeysSortAfterBmpPrivateUse()
    {
        // Ordinal UTF-16 order would put U+1F600 (D83D DE00) before U+FFFF; Python compares code points.
        var value = new QuiltJsonObject([new("😀", new QuiltJsonInteger(1)), new("\uffff", new QuiltJsonInteger(2)), new("\ud800", new QuiltJsonInteger(3))]);
        JsonText.SerializeCanonical(value).ShouldBe("{\"\\ud800\":3,\"\\uffff\":2,\"\\ud83d\\ude00\":1}");
    }

    [Fact]
    public void SerializeCanonical_OfParsedCanonicalText_IsFixedPoint_Property() =>
        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(500),
            Prop.ForAll(JsonGenerators.Any.ToArbitrary(), value =>
            {
                var canonical = JsonText.SerializeCanonical(value);
                canonical.All(c => c is >= ' ' and <= '~').ShouldBeTrue();
                JsonText.SerializeCanonical(JsonText.Parse(canonical)).ShouldBe(canonical);
            }));

    [Fact]
    public void SerializeCanonical_DoesNotDependOnMemberOrder_Property() =>
        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(300),
            Prop.ForAll(JsonGenerators.WritableObject.ToArbitrary(), value =>
            {
                var reversed = new QuiltJsonObject(value.Reverse());
                JsonText.SerializeCanonical(reversed).ShouldBe(JsonText.SerializeCanonical(value));
            }));
}
