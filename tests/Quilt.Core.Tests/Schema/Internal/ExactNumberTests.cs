using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Quilt.Core.Json;
using Quilt.Core.Schema.Internal;

namespace Quilt.Core.Tests.Schema.Internal;

public sealed class ExactNumberTests
{
    [Fact]
    public void FromExactValue_Double_IsTheExactBinaryValue()
    {
        var tenth = ExactNumber.FromExactValue(new QuiltJsonFloat(0.1))!.Value.Normalize();

        tenth.Exponent.ShouldBe(-55);
        tenth.Mantissa.ToString(System.Globalization.CultureInfo.InvariantCulture).ShouldBe("1000000000000000055511151231257827021181583404541015625");
    }

    [Fact]
    public void FromWrittenValue_Double_IsTheShortestDecimal()
    {
        ExactNumber.FromWrittenValue(new QuiltJsonFloat(0.1))!.Value.ShouldBe(new ExactNumber(1, -1));
        ExactNumber.FromWrittenValue(new QuiltJsonFloat(-1.5e-8))!.Value.ShouldBe(new ExactNumber(-15, -9));
        ExactNumber.FromWrittenValue(new QuiltJsonFloat(1e308))!.Value.ShouldBe(new ExactNumber(1, 308));
        ExactNumber.FromWrittenValue(new QuiltJsonInteger(7))!.Value.ShouldBe(new ExactNumber(7, 0));
    }

    [Fact]
    public void From_NonFiniteOrNonNumber_IsNull()
    {
        ExactNumber.FromExactValue(new QuiltJsonFloat(double.NaN)).ShouldBeNull();
        ExactNumber.FromWrittenValue(new QuiltJsonFloat(double.PositiveInfinity)).ShouldBeNull();
        ExactNumber.FromExactValue(new QuiltJsonString("1")).ShouldBeNull();
        ExactNumber.FromWrittenValue(QuiltJsonBool.True).ShouldBeNull();
    }

    [Fact]
    public void FromExactValue_SubnormalAndNegative_CompareCorrectly()
    {
        var tiny = ExactNumber.FromExactValue(new QuiltJsonFloat(double.Epsilon))!.Value;
        var zero = ExactNumber.FromExactValue(new QuiltJsonFloat(-0.0))!.Value;
        var minusOne = ExactNumber.FromExactValue(new QuiltJsonFloat(-1.0))!.Value;

        ExactNumber.Compare(tiny, zero).ShouldBe(1);
        ExactNumber.Compare(minusOne, zero).ShouldBe(-1);
        ExactNumber.Compare(minusOne, new ExactNumber(-1, 0)).ShouldBe(0);
        zero.Normalize().ShouldBe(new ExactNumber(BigInteger.Zero, 0));
    }

    [Fact]
    public void Compare_AgreesWithDoubleComparison()
    {
        Prop.ForAll<double, double>((a, b) =>
        {
            if (!double.IsFinite(a) || !double.IsFinite(b))
            {
                return true;
            }

            var x = ExactNumber.FromExactValue(new QuiltJsonFloat(a))!.Value;
            var y = ExactNumber.FromExactValue(new QuiltJsonFloat(b))!.Value;
            var expected = a == b ? 0 : a < b ? -1 : 1;
            return Math.Sign(ExactNumber.Compare(x, y)) == expected && Math.Sign(ExactNumber.Compare(x, x)) == 0;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void IsMultipleOf_IntegersAgreeWithRemainder()
    {
        Prop.ForAll<long, int>((a, b) =>
            b == 0 || ExactNumber.IsMultipleOf(new ExactNumber(a, 0), new ExactNumber(b, 0)) == (a % b == 0)).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void IsMultipleOf_ZeroDivisor_OnlyZeroIsAMultiple()
    {
        ExactNumber.IsMultipleOf(new ExactNumber(0, 0), new ExactNumber(0, 3)).ShouldBeTrue();
        ExactNumber.IsMultipleOf(new ExactNumber(1, 0), new ExactNumber(0, 0)).ShouldBeFalse();
    }
}
