using System.Numerics;
using System.Text;
using Quilt.Core.Errors;
using Quilt.Core.Json;

namespace Quilt.Core.Tests.Json;

public sealed class JsonTextParseTests
{
    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData("1e2", 100.0)]
    [InlineData("1E2", 100.0)]
    [InlineData("1.50", 1.5)]
    [InlineData("-0.0", -0.0)]
    [InlineData("0e0", 0.0)]
    [InlineData("1e-400", 0.0)]
    [InlineData("2.5E-07", 2.5e-07)]
    [InlineData("1.7976931348623157e308", double.MaxValue)]
    public void Parse_TokenWithPointOrExponent_IsFloat(string text, double expected)
    {
        var value = JsonText.Parse(text).ShouldBeOfType<QuiltJsonFloat>();
        BitConverter.DoubleToInt64Bits(value.Value).ShouldBe(BitConverter.DoubleToInt64Bits(expected));
    }

    [Theory]
    [InlineData("1E400", double.PositiveInfinity)]
    [InlineData("-1e400", double.NegativeInfinity)]
    [InlineData("Infinity", double.PositiveInfinity)]
    [InlineData("-Infinity", double.NegativeInfinity)]
    public void Parse_OverflowOrInfinityLiteral_IsInfinite(string text, double expected) =>
        JsonText.Parse(text).ShouldBeOfType<QuiltJsonFloat>().Value.ShouldBe(expected);

    [Fact]
    public void Parse_NaNLiteral_IsNaN() =>
        double.IsNaN(JsonText.Parse("NaN").ShouldBeOfType<QuiltJsonFloat>().Value).ShouldBeTrue();

    [Theory]
    [InlineData("0", "0")]
    [InlineData("-0", "0")]
    [InlineData("42", "42")]
    [InlineData("-9223372036854775808", "-9223372036854775808")]
    [InlineData("9223372036854775808", "9223372036854775808")]
    [InlineData("123456789012345678901234567890", "123456789012345678901234567890")]
    [InlineData("-123456789012345678901234567890123456789", "-123456789012345678901234567890123456789")]
    public void Parse_TokenWithoutPointOrExponent_IsExactInteger(string text, string expected) =>
        JsonText.Parse(text).ShouldBeOfType<QuiltJsonInteger>().Value.ShouldBe(BigInteger.Parse(expected));

    [Fact]
    public void Parse_Literals_AreSharedInstances()
    {
        JsonText.Parse("null").ShouldBeSameAs(QuiltJsonNull.Instance);
        JsonText.Parse("true").ShouldBeSameAs(QuiltJsonBool.True);
        JsonText.Parse(" \t\r\nfalse\n").ShouldBeSameAs(QuiltJsonBool.False);
    }

    [Fact]
    public void Parse_DuplicateNames_LastValueWinsAtFirstPosition()
    {
        var obj = JsonText.Parse("{\"a\": 1, \"b\": 2, \"a\": 3}").ShouldBeOfType<QuiltJsonObject>();
        obj.Names.ShouldBe(["a", "b"]);
        obj["a"].ShouldBe(new QuiltJsonInteger(3));
    }

    [Fact]
    public void Parse_NestedStructure_KeepsOrderAndTypes()
    {
        var value = JsonText.Parse("{\"z\":[1,2.0,\"x\",{}],\"a\":{\"k\":[]},\"m\":null}").ShouldBeOfType<QuiltJsonObject>();
        value.Names.ShouldBe(["z", "a", "m"]);
        var array = value["z"].ShouldBeOfType<QuiltJsonArray>();
        array[0].ShouldBe(new QuiltJsonInteger(1));
        array[1].ShouldBe(new QuiltJsonFloat(2.0));
        array[2].ShouldBe(new QuiltJsonString("x"));
        array[3].ShouldBe(QuiltJsonObject.Empty);
        value["a"].ShouldBeOfType<QuiltJsonObject>()["k"].ShouldBe(QuiltJsonArray.Empty);
    }

    [Theory]
    [InlineData("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t")]
    [InlineData("\"\\u00e9\\u00E9\"", "éé")]
    [InlineData("\"\\ud83d\\ude00\"", "😀")]
    [InlineData("\"raw \u2028\u2029\u0085 é 😀\"", "raw \u2028\u2029\u0085 é 😀")]
    [InlineData("\"\u007f\"", "\u007f")]
    public void Parse_StringEscapes_DecodeLikePython(string text, string expected) =>
        JsonText.Parse(text).ShouldBeOfType<QuiltJsonString>().Value.ShouldBe(expected);

    [Fact]
    public void Parse_LoneSurrogateEscapes_AreKeptAsCodeUnits()
    {
        // Not [InlineData]: attribute strings cannot carry lone surrogates.
        JsonText.Parse("\"\\ud800\"").ShouldBeOfType<QuiltJsonString>().Value.ShouldBe("\ud800");
        JsonText.Parse("\"x\\udc00y\"").ShouldBeOfType<QuiltJsonString>().Value.ShouldBe("x\udc00y");
        JsonText.Parse("\"\\ud800\\u0041\"").ShouldBeOfType<QuiltJsonString>().Value.ShouldBe("\ud800A");
        JsonText.Parse("\"\\ude00\\ud83d\"").ShouldBeOfType<QuiltJsonString>().Value.ShouldBe("\ude00\ud83d");
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("   ", 3)]
    [InlineData("{", 1)]
    [InlineData("[1,]", 3)]
    [InlineData("{\"a\":1,}", 7)]
    [InlineData("{\"a\" 1}", 5)]
    [InlineData("{a:1}", 1)]
    [InlineData("[1 2]", 3)]
    [InlineData("{\"a\":1 \"b\":2}", 7)]
    [InlineData("{\"a\":1", 6)]
    [InlineData("[", 1)]
    [InlineData("01", 1)]
    [InlineData("1.", 1)]
    [InlineData(".5", 0)]
    [InlineData("1e", 1)]
    [InlineData("-", 0)]
    [InlineData("+1", 0)]
    [InlineData("-NaN", 0)]
    [InlineData("nan", 0)]
    [InlineData("infinity", 0)]
    [InlineData("nul", 0)]
    [InlineData("truex", 4)]
    [InlineData("\"abc", 0)]
    [InlineData("\"a\tb\"", 2)]
    [InlineData("\"a\nb\"", 2)]
    [InlineData("\"\\x\"", 1)]
    [InlineData("\"\\u12\"", 1)]
    [InlineData("\"\\u12G4\"", 1)]
    [InlineData("\"\\", 0)]
    [InlineData("\ufeff{}", 0)]
    [InlineData("{}\u00a0", 2)]
    [InlineData("[1]]", 3)]
    [InlineData("{} {}", 3)]
    public void Parse_MalformedText_ThrowsInvalidInputWithOffset(string text, int offset)
    {
        var error = Should.Throw<QuiltException>(() => JsonText.Parse(text));
        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldContain($"(character {offset})");
    }

    [Fact]
    public void Parse_Utf8Bytes_DecodesStrictly()
    {
        var value = JsonText.Parse(Encoding.UTF8.GetBytes("{\"k\": \"куилт 😀\"}")).ShouldBeOfType<QuiltJsonObject>();
        value["k"].ShouldBe(new QuiltJsonString("куилт 😀"));
    }

    [Theory]
    [InlineData(new byte[] { 0x22, 0xFF, 0x22 }, 1)]
    [InlineData(new byte[] { 0x22, 0x61, 0xC3, 0x22 }, 2)]
    [InlineData(new byte[] { 0x22, 0xED, 0xA0, 0x80, 0x22 }, 1)]
    [InlineData(new byte[] { 0x22, 0xC0, 0xAF, 0x22 }, 1)]
    [InlineData(new byte[] { 0x22, 0xF4, 0x90, 0x80, 0x80, 0x22 }, 1)]
    public void Parse_InvalidUtf8_ThrowsWithByteOffset(byte[] utf8, int offset)
    {
        var error = Should.Throw<QuiltException>(() => JsonText.Parse(utf8));
        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldBe($"Invalid UTF-8 at byte {offset}.");
    }

    [Fact]
    public void Parse_Utf8ByteOrderMark_IsRejected()
    {
        byte[] withBom = [0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}'];
        Should.Throw<QuiltException>(() => JsonText.Parse(withBom)).Message.ShouldContain("(byte 0)");
    }

    [Fact]
    public void Parse_Utf8SyntaxError_ReportsByteOffset()
    {
        // "é" is two bytes, so the stray 'x' after it is at character 4 but byte 5.
        var error = Should.Throw<QuiltException>(() => JsonText.Parse(Encoding.UTF8.GetBytes("\"é\" x")));
        error.Message.ShouldContain("Extra data (byte 5)");
    }

    [Fact]
    public void Parse_NestingAtLimit_IsAcceptedAndBeyondIsRejected()
    {
        var deep = new string('[', 1000) + new string(']', 1000);
        JsonText.Parse(deep).ShouldBeOfType<QuiltJsonArray>();
        var tooDeep = "[" + deep + "]";
        Should.Throw<QuiltException>(() => JsonText.Parse(tooDeep)).Message.ShouldContain("nested deeper");
    }

    [Fact]
    public void Parse_Null_Throws() => Should.Throw<ArgumentNullException>(() => JsonText.Parse((string)null!));
}
