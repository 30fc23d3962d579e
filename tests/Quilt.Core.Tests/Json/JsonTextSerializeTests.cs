using System.Numerics;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Quilt.Core.Errors;
using Quilt.Core.Json;

namespace Quilt.Core.Tests.Json;

public sealed class JsonTextSerializeTests
{
    [Fact]
    public void Serialize_MixedObject_MatchesPythonJsonDumpsEnsureAsciiFalse()
    {
        // Python: json.dumps(json.loads('{"k":"é\\u2028\\u0007\\"/","n":[1.0,2,{"x":null}],"e":{},"l":[]}'), ensure_ascii=False)
        var value = JsonText.Parse("{\"k\":\"é\\u2028\\u0007\\\"/\",\"n\":[1.0,2,{\"x\":null}],\"e\":{},\"l\":[]}");
        JsonText.Serialize(value).ShouldBe("{\"k\": \"é\u2028\\u0007\\\"/\", \"n\": [1.0, 2, {\"x\": null}], \"e\": {}, \"l\": []}");
    }

    [Theory]
    [InlineData("\"\\\b\f\n\r\t", "\"\\\"\\\\\\b\\f\\n\\r\\t\"")]
    [InlineData("\u0000\u0001\u001f", "\"\\u0000\\u0001\\u001f\"")]
    [InlineData("\u007f/<>&'+", "\"\u007f/<>&'+\"")]
    [InlineData("куилт.txt 😀 \u2028\u2029\u0085\uffff", "\"куилт.txt 😀 \u2028\u2029\u0085\uffff\"")]
    [InlineData("", "\"\"")]
    public void Serialize_String_EscapesOnlyQuoteBackslashAndControls(string input, string expected) =>
        JsonText.Serialize(new QuiltJsonString(input)).ShouldBe(expected);

    [Fact]
    public void Serialize_KeepsInsertionOrderAndPythonSeparators()
    {
        var value = new QuiltJsonObject([new("z", new QuiltJsonInteger(1)), new("a", new QuiltJsonArray([QuiltJsonBool.True, QuiltJsonBool.False, QuiltJsonNull.Instance]))]);
        JsonText.Serialize(value).ShouldBe("{\"z\": 1, \"a\": [true, false, null]}");
    }

    [Theory]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    public void Serialize_NonFiniteFloat_IsRefused(double value, string repr)
    {
        var error = Should.Throw<QuiltException>(() => JsonText.Serialize(new QuiltJsonArray([new QuiltJsonFloat(value)])));
        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldBe("Out of range float values are not JSON compliant: " + repr);
    }

    [Fact]
    public void Serialize_LoneSurrogate_IsRefused()
    {
        // Not [InlineData]: attribute strings cannot carry lone surrogates.
        foreach (var text in new[] { "\ud800", "a\udc00b", "\ude00\ud83d", "x\ud83d" })
        {
            var error = Should.Throw<QuiltException>(() => JsonText.Serialize(new QuiltJsonObject([new(text, QuiltJsonNull.Instance)])));
            error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
            error.Message.ShouldContain("lone UTF-16 surrogate");
            error.Message.ShouldContain("\\u"); // the preview is escaped, so the message itself stays encodable
        }
    }

    [Fact]
    public void Serialize_NumbersUsePythonRepr()
    {
        var value = new QuiltJsonArray([
            new QuiltJsonFloat(1e16), new QuiltJsonFloat(1e15), new QuiltJsonFloat(-0.0), new QuiltJsonFloat(Math.Pow(2, -25)),
            new QuiltJsonInteger(BigInteger.Parse("-123456789012345678901234567890")), new QuiltJsonInteger(long.MinValue),
        ]);
        JsonText.Serialize(value).ShouldBe(
            "[1e+16, 1000000000000000.0, -0.0, 2.9802322387695312e-08, -123456789012345678901234567890, -9223372036854775808]");
    }

    [Fact]
    public void Serialize_TooDeep_IsRefused()
    {
        QuiltJsonValue value = QuiltJsonArray.Empty;
        for (var i = 0; i < 1000; i++)
        {
            value = new QuiltJsonArray([value]);
        }

        Should.Throw<QuiltException>(() => JsonText.Serialize(value)).Message.ShouldContain("nested deeper");
        Should.Throw<QuiltException>(() => JsonText.SerializeCanonical(value)).Message.ShouldContain("nested deeper");
    }

    [Fact]
    public void Serialize_Null_Throws()
    {
        Should.Throw<ArgumentNullException>(() => JsonText.Serialize(null!));
        Should.Throw<ArgumentNullException>(() => JsonText.SerializeCanonical(null!));
    }

    [Fact]
    public void Serialize_ThenParse_GivesEqualValue_Property() =>
        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(500),
            Prop.ForAll(JsonGenerators.Writable.ToArbitrary(), value =>
            {
                var text = JsonText.Serialize(value);
                JsonText.Parse(text).ShouldBe(value);
                JsonText.Parse(Encoding.UTF8.GetBytes(text)).ShouldBe(value);
            }));
}
