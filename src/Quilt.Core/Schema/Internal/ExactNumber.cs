using System.Globalization;
using System.Numerics;
using Quilt.Core.Json;

namespace Quilt.Core.Schema.Internal;

/// <summary>
/// A finite number held exactly as <c>Mantissa × 10^Exponent</c>, so that integers of any size and doubles
/// compare the way Python compares <c>int</c> and <c>float</c> (mathematically, without rounding).
/// </summary>
internal readonly record struct ExactNumber(BigInteger Mantissa, int Exponent)
{
    /// <summary>
    /// The exact value of a JSON number, or null for NaN and infinities (and for non-numbers).
    /// A double converts to its exact binary value, not to its shortest decimal text.
    /// </summary>
    public static ExactNumber? FromExactValue(QuiltJsonValue value) => value switch
    {
        QuiltJsonInteger i => new ExactNumber(i.Value, 0),
        QuiltJsonFloat f when double.IsFinite(f.Value) => FromDoubleExact(f.Value),
        _ => null,
    };

    /// <summary>
    /// The value a user meant when writing a number: integers exactly, doubles as their shortest round-trip
    /// decimal (0.1 stays 0.1). Used by <c>multipleOf</c>, where binary rounding would give wrong answers.
    /// </summary>
    public static ExactNumber? FromWrittenValue(QuiltJsonValue value) => value switch
    {
        QuiltJsonInteger i => new ExactNumber(i.Value, 0),
        QuiltJsonFloat f when double.IsFinite(f.Value) => FromShortestDecimal(f.Value),
        _ => null,
    };

    /// <summary>Compares two exact numbers.</summary>
    public static int Compare(ExactNumber a, ExactNumber b)
    {
        Align(a, b, out var x, out var y);
        return x.CompareTo(y);
    }

    /// <summary>Whether <paramref name="value"/> is an integral multiple of <paramref name="divisor"/> (non-zero).</summary>
    public static bool IsMultipleOf(ExactNumber value, ExactNumber divisor)
    {
        Align(value, divisor, out var x, out var y);
        return y.IsZero ? x.IsZero : BigInteger.Remainder(x, y).IsZero;
    }

    /// <summary>The same value with trailing decimal zeros removed, so equal values have equal fields.</summary>
    public ExactNumber Normalize()
    {
        if (Mantissa.IsZero)
        {
            return new ExactNumber(BigInteger.Zero, 0);
        }

        var m = Mantissa;
        var e = Exponent;
        while (true)
        {
            var q = BigInteger.DivRem(m, 10, out var r);
            if (!r.IsZero)
            {
                break;
            }

            m = q;
            e++;
        }

        return new ExactNumber(m, e);
    }

    private static void Align(ExactNumber a, ExactNumber b, out BigInteger x, out BigInteger y)
    {
        var e = Math.Min(a.Exponent, b.Exponent);
        x = a.Mantissa * BigInteger.Pow(10, a.Exponent - e);
        y = b.Mantissa * BigInteger.Pow(10, b.Exponent - e);
    }

    private static ExactNumber FromDoubleExact(double value)
    {
        var bits = BitConverter.DoubleToInt64Bits(value);
        var negative = bits < 0;
        var biased = (int)((bits >> 52) & 0x7FF);
        var fraction = bits & 0xF_FFFF_FFFF_FFFFL;
        long mantissa;
        int exponent2;
        if (biased == 0)
        {
            mantissa = fraction;
            exponent2 = -1074;
        }
        else
        {
            mantissa = fraction | (1L << 52);
            exponent2 = biased - 1075;
        }

        BigInteger m = negative ? -mantissa : mantissa;
        if (exponent2 >= 0)
        {
            return new ExactNumber(m << exponent2, 0);
        }

        // m × 2^-k = m × 5^k × 10^-k
        return new ExactNumber(m * BigInteger.Pow(5, -exponent2), exponent2);
    }

    private static ExactNumber FromShortestDecimal(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            exponent -= text.Length - dot - 1;
            text = string.Concat(text.AsSpan(0, dot), text.AsSpan(dot + 1));
        }

        return new ExactNumber(BigInteger.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture), exponent);
    }
}
