using Quilt.Core.Json;
using Quilt.Core.Schema.Internal;

namespace Quilt.Core.Tests.Schema.Internal;

public sealed class ValueTextTests
{
    [Theory]
    [InlineData(1.5, "1.5")]
    [InlineData(1.0, "1.0")]
    [InlineData(-2.0, "-2.0")]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(1.5e-7, "1.5e-07")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1234567890123456.7, "1234567890123456.8")]
    [InlineData(12345678901234567.0, "1.2345678901234568e+16")]
    [InlineData(1e308, "1e+308")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(123.456, "123.456")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(double.NaN, "nan")]
    public void Float_MatchesPythonRepr(double value, string expected)
    {
        ValueText.Float(value).ShouldBe(expected);
    }

    [Theory]
    [InlineData("abc", "'abc'")]
    [InlineData("it's", "\"it's\"")]
    [InlineData("it's \"x\"", "'it\\'s \"x\"'")]
    [InlineData("a\\b\tc\rd\ne", "'a\\\\b\\tc\\rd\\ne'")]
    [InlineData("\u0001\u007f", "'\\x01\\x7f'")]
    [InlineData("µ", "'µ'")]
    public void Quote_MatchesPythonRepr(string text, string expected)
    {
        ValueText.Quote(text).ShouldBe(expected);
    }

    [Fact]
    public void Describe_NestedValue_UsesPythonLayoutWithJsonLiterals()
    {
        var value = TestJson.Parse("""{"a": [1, 2.5, true, null], "b": {}, "c": []}""");

        ValueText.Describe(value).ShouldBe("{'a': [1, 2.5, true, null], 'b': {}, 'c': []}");
    }

    [Fact]
    public void Describe_HugeInteger_IsSummarized()
    {
        ValueText.Describe(new QuiltJsonInteger(System.Numerics.BigInteger.Pow(10, 5000))).ShouldBe("<integer of about 5001 digits>");
        ValueText.Describe(new QuiltJsonInteger(-System.Numerics.BigInteger.Pow(2, 2000))).ShouldBe("-<integer of about 603 digits>");
        ValueText.Describe(new QuiltJsonInteger(System.Numerics.BigInteger.Pow(2, 1000))).Length.ShouldBe(80 + 3);
    }

    [Fact]
    public void Describe_LongValue_IsCut()
    {
        var text = ValueText.Describe(new QuiltJsonString(new string('x', 500)), 20);

        text.ShouldBe("'xxxxxxxxxxxxxxxxxxx...");
    }

    [Fact]
    public void Describe_LongObject_StopsEarly()
    {
        var members = Enumerable.Range(0, 10_000).Select(i => new KeyValuePair<string, QuiltJsonValue>("k" + i, new QuiltJsonInteger(i)));

        ValueText.Describe(new QuiltJsonObject(members)).Length.ShouldBe(ValueText.DefaultLimit + 3);
    }
}
