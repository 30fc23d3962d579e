using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Quilt.Core.Json;

namespace Quilt.Core.Tests.Json;

public sealed class PythonFloatTests
{
    /// <summary>Value → Python 3.11 <c>repr(value)</c>.</summary>
    public static TheoryData<double, string> PythonRepr => new()
    {
        { Math.Pow(2, -25), "2.9802322387695312e-08" },
        { 1e16, "1e+16" },
        { 1e15, "1000000000000000.0" },
        { 0.1, "0.1" },
        { 1.0 / 3, "0.3333333333333333" },
        { 5e-324, "5e-324" },
        { 1.5e-323, "1.5e-323" },
        { 1.7976931348623157e+308, "1.7976931348623157e+308" },
        { -1.7976931348623157e+308, "-1.7976931348623157e+308" },
        { -0.0, "-0.0" },
        { 0.0, "0.0" },
        { 1e-05, "1e-05" },
        { 0.0001, "0.0001" },
        { 0.00001234, "1.234e-05" },
        { 123456789012345680.0, "1.2345678901234568e+17" },
        { 12345678901234567.0, "1.2345678901234568e+16" },
        { 1234567890123456.7, "1234567890123456.8" },
        { 1e22, "1e+22" },
        { 1e23, "1e+23" },
        { 9.999999999999999e22, "1e+23" },
        { 9223372036854775808.0, "9.223372036854776e+18" },
        { 0.3, "0.3" },
        { 0.1 + 0.2, "0.30000000000000004" },
        { 100.0, "100.0" },
        { 1.5, "1.5" },
        { -1.5, "-1.5" },
        { 2.5e-07, "2.5e-07" },
        { 1.5e300, "1.5e+300" },
        { 2.2250738585072014e-308, "2.2250738585072014e-308" },
        { 123.456, "123.456" },

        // Powers of two have a narrower rounding interval below them: the correctly rounded 16 digits
        // (…044, …103, …630) do not parse back, the next decimal up does.
        { Math.Pow(2, -1017), "7.120236347223045e-307" },
        { Math.Pow(2, 976), "6.386688990511104e+293" },
        { Math.Pow(2, -791), "7.678447687145631e-239" },
        { double.NaN, "nan" },
        { double.PositiveInfinity, "inf" },
        { double.NegativeInfinity, "-inf" },
    };

    [Theory]
    [MemberData(nameof(PythonRepr))]
    public void Repr_KnownValues_MatchPython(double value, string python) => PythonFloat.Repr(value).ShouldBe(python);

    [Fact]
    public void Repr_WhereDotNetRoundTripFormatIsWrong_StillRoundTrips()
    {
        var value = Math.Pow(2, -25);
        var repr = PythonFloat.Repr(value);
        double.Parse(repr, CultureInfo.InvariantCulture).ShouldBe(value);
    }

    [Fact]
    public void Repr_AnyFiniteDouble_RoundTripsWithShortestDigits_Property() =>
        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(3000),
            Prop.ForAll(JsonGenerators.FiniteDouble.ToArbitrary(), value =>
            {
                var repr = PythonFloat.Repr(value);
                BitConverter.DoubleToInt64Bits(double.Parse(repr, CultureInfo.InvariantCulture))
                    .ShouldBe(BitConverter.DoubleToInt64Bits(value), repr);
                if (value != 0)
                {
                    var digits = SignificantDigits(repr);
                    if (digits > 1)
                    {
                        // No string with one digit fewer parses back to the value.
                        var shorter = Math.Abs(value).ToString("E" + (digits - 2), CultureInfo.InvariantCulture);
                        foreach (var candidate in Neighbours(shorter))
                        {
                            double.Parse(candidate, CultureInfo.InvariantCulture).ShouldNotBe(Math.Abs(value), candidate);
                        }
                    }
                }
            }));

    [Fact]
    public void Repr_Format_FollowsPythonPositionalAndScientificRules_Property() =>
        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(2000),
            Prop.ForAll(JsonGenerators.FiniteDouble.ToArbitrary(), value =>
            {
                var repr = PythonFloat.Repr(value);
                var abs = Math.Abs(value);
                if (abs != 0 && (abs < 1e-4 || abs >= 1e16))
                {
                    repr.ShouldMatch(@"^-?[1-9](\.[0-9]*[1-9])?e[+-][0-9]{2,3}$");
                }
                else
                {
                    repr.ShouldMatch(@"^-?[0-9]+\.[0-9]+$");
                }
            }));

    private static int SignificantDigits(string repr)
    {
        var mantissa = repr.Split('e')[0].TrimStart('-').Replace(".", "", StringComparison.Ordinal).TrimStart('0');
        mantissa = repr.Contains('e', StringComparison.Ordinal) ? mantissa : mantissa.TrimEnd('0');
        return Math.Max(1, mantissa.Length);
    }

    /// <summary>A k-digit "E" format and the k-digit decimals just below and above it.</summary>
    private static IEnumerable<string> Neighbours(string exponentForm)
    {
        var parts = exponentForm.Split('E');
        var mantissa = decimal.Parse(parts[0], CultureInfo.InvariantCulture);
        var decimals = parts[0].Contains('.', StringComparison.Ordinal) ? parts[0].Split('.')[1].Length : 0;
        var step = 1m / (decimal)Math.Pow(10, decimals);
        var exponent = parts[1];
        foreach (var m in new[] { mantissa - step, mantissa, mantissa + step })
        {
            yield return m.ToString(CultureInfo.InvariantCulture) + "E" + exponent;
        }

        if (mantissa == 1m)
        {
            // Just below a power of ten the lower neighbour has the same digit count one decade down: 9.99…E(x−1).
            var below = int.Parse(exponent, CultureInfo.InvariantCulture) - 1;
            yield return (10m - step).ToString(CultureInfo.InvariantCulture) + "E" + below.ToString(CultureInfo.InvariantCulture);
        }
    }
}
