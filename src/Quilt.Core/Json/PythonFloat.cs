using System.Globalization;

namespace Quilt.Core.Json;

/// <summary>
/// Python's <c>repr(float)</c>, which is how quilt3 writes floats both in manifests and in the canonical JSON
/// behind the top hash. A different digit string for the same double changes the top hash, and .NET's
/// <c>"R"</c>/default formatting is not a safe source (for 2^-25 it prints digits that do not even parse back),
/// so the shortest round-tripping digits are searched explicitly from correctly rounded <c>"E"</c> formats.
/// </summary>
public static class PythonFloat
{
    private static readonly string[] ExponentFormats =
        [.. Enumerable.Range(0, 17).Select(k => "E" + k.ToString(CultureInfo.InvariantCulture))];

    private static readonly ulong[] PowersOfTen = BuildPowersOfTen();

    /// <summary>
    /// Returns exactly what Python's <c>repr</c> returns for <paramref name="value"/>: shortest round-tripping
    /// digits (nearest to the exact value when several qualify), positional notation for decimal exponents
    /// −4 &lt; p ≤ 16 with at least one digit after the point (<c>100.0</c>, <c>0.0001</c>), otherwise scientific
    /// with a signed exponent of at least two digits (<c>1e+16</c>, <c>1e-05</c>); <c>nan</c>, <c>inf</c>,
    /// <c>-inf</c>, <c>0.0</c>, <c>-0.0</c> for the special values.
    /// </summary>
    public static string Repr(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }

        var (digits, decimalPoint) = ShortestDigits(Math.Abs(value));
        return Format(double.IsNegative(value), digits, decimalPoint);
    }

    /// <summary>
    /// The shortest digit string d1…dn (no trailing zeros) and exponent p with value = 0.d1…dn × 10^p that
    /// parses back to <paramref name="positive"/> (finite, &gt; 0); the nearest one when several have that length.
    /// </summary>
    internal static (string Digits, int DecimalPoint) ShortestDigits(double positive)
    {
        Span<char> text = stackalloc char[40];
        for (var k = 1; k <= 17; k++)
        {
            if (!positive.TryFormat(text, out var written, ExponentFormats[k - 1], CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException("Formatting a double did not fit the buffer.");
            }

            var (mantissa, scale) = ParseExponentForm(text[..written]);
            if (RoundTrips(mantissa, scale, positive))
            {
                return ToDigits(mantissa, scale);
            }

            // The correctly rounded k digits are the nearest k-digit decimal, so when they fall outside the
            // round-trip interval only the bracket on the other side of the value can fall inside it. That
            // happens just above a power of two, where the interval is twice as wide above the value as below
            // (2^976 → 6.386688990511104e+293, not …103). Below the value it never can, so only "up" is tried.
            (ulong Mantissa, int Scale) up = mantissa + 1 < PowersOfTen[k] ? (mantissa + 1, scale) : (PowersOfTen[k - 1], scale + 1);
            if (RoundTrips(up.Mantissa, up.Scale, positive))
            {
                return ToDigits(up.Mantissa, up.Scale);
            }
        }

        throw new InvalidOperationException("No round-tripping representation found with 17 digits; this cannot happen for a finite double.");
    }

    private static ulong[] BuildPowersOfTen()
    {
        var powers = new ulong[19];
        powers[0] = 1;
        for (var k = 1; k < powers.Length; k++)
        {
            powers[k] = powers[k - 1] * 10;
        }

        return powers;
    }

    private static string Format(bool negative, string digits, int decimalPoint)
    {
        var n = digits.Length;
        string body;
        if (decimalPoint > -4 && decimalPoint <= 16)
        {
            if (decimalPoint <= 0)
            {
                body = "0." + new string('0', -decimalPoint) + digits;
            }
            else if (decimalPoint >= n)
            {
                body = digits + new string('0', decimalPoint - n) + ".0";
            }
            else
            {
                body = string.Concat(digits.AsSpan(0, decimalPoint), ".", digits.AsSpan(decimalPoint));
            }
        }
        else
        {
            var exponent = decimalPoint - 1;
            var mantissa = n > 1 ? string.Concat(digits.AsSpan(0, 1), ".", digits.AsSpan(1)) : digits;
            body = mantissa + (exponent < 0 ? "e-" : "e+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        }

        return negative ? "-" + body : body;
    }

    /// <summary>Reads <c>d.dddE+xxx</c> into an integer mantissa and the power of ten of its last digit.</summary>
    private static (ulong Mantissa, int Scale) ParseExponentForm(ReadOnlySpan<char> text)
    {
        ulong mantissa = 0;
        var digits = 0;
        var i = 0;
        for (; i < text.Length && text[i] != 'E'; i++)
        {
            if (text[i] != '.')
            {
                mantissa = (mantissa * 10) + (ulong)(text[i] - '0');
                digits++;
            }
        }

        var exponent = int.Parse(text[(i + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return (mantissa, exponent - (digits - 1));
    }

    private static bool RoundTrips(ulong mantissa, int scale, double expected)
    {
        Span<char> text = stackalloc char[40];
        mantissa.TryFormat(text, out var used, provider: CultureInfo.InvariantCulture);
        text[used++] = 'E';
        scale.TryFormat(text[used..], out var more, provider: CultureInfo.InvariantCulture);
        var parsed = double.Parse(text[..(used + more)], NumberStyles.Float, CultureInfo.InvariantCulture);
        return parsed == expected;
    }

    private static (string Digits, int DecimalPoint) ToDigits(ulong mantissa, int scale)
    {
        var all = mantissa.ToString(CultureInfo.InvariantCulture);
        return (all.TrimEnd('0'), scale + all.Length);
    }
}
