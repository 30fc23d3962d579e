using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Quilt.Core.Json;

namespace Quilt.Core.Tests.Json;

/// <summary>FsCheck generators for awkward JSON values: the characters, numbers and shapes that break naive implementations.</summary>
internal static class JsonGenerators
{
    /// <summary>Pieces that strings are made of; surrogate pairs stay together.</summary>
    private static readonly string[] TextPieces =
    [
        "a", "Z", "0", " ", "/", "-", ".", "_", "\"", "\\", "'", "<", ">", "&", "+",
        "\u0000", "\u0001", "\b", "\t", "\n", "\f", "\r", "\u001f", "\u007f",
        "é", "к", "ß", "€", "中", "\u0085", "\u2028", "\u2029", "\ue000", "\uffff", "\ufeff",
        "😀", "\U0001F4A9", "\U00010000", "\U0010FFFF",
    ];

    private static readonly string[] LoneSurrogates = ["\ud800", "\udbff", "\udc00", "\udfff"];

    private static readonly double[] SpecialDoubles =
    [
        0.0, -0.0, 0.1, 0.5, 1.0, -1.5, 100.0, 1e15, 1e16, 1e17, 1e-4, 1e-5, 1e22, 1e23, 5e-324, -5e-324,
        2.2250738585072014e-308, 2.225073858507201e-308, 1.7976931348623157e308, -1.7976931348623157e308,
        Math.Pow(2, -25), Math.Pow(2, 63), 123456789012345680.0, 0.30000000000000004, 1.0 / 3,
    ];

    /// <summary>Strings with astral characters, controls, U+2028, quotes and backslashes (always UTF-8 encodable).</summary>
    public static Gen<string> Text { get; } =
        Gen.Sized(size => UpTo(Gen.Elements(TextPieces), Math.Min(size, 12)))
            .Select(string.Concat);

    /// <summary>Like <see cref="Text"/>, sometimes with a lone surrogate (only the canonical form can hold it).</summary>
    public static Gen<string> TextWithLoneSurrogates { get; } =
        Gen.Sized(size => UpTo(Gen.Frequency((8, Gen.Elements(TextPieces)), (1, Gen.Elements(LoneSurrogates))), Math.Min(size, 12)))
            .Select(string.Concat);

    /// <summary>Any finite double, weighted towards raw bit patterns (subnormals, huge exponents) and known edge cases.</summary>
    public static Gen<double> FiniteDouble { get; } =
        Gen.Frequency(
            (3, Gen.ArrayOf(Gen.Choose(0, 255), 8).Select(b => BitConverter.ToDouble([.. b.Select(x => (byte)x)]))
                .Where(double.IsFinite)),
            (2, Gen.Elements(SpecialDoubles)),
            (1, Gen.Choose(-1_000_000, 1_000_000).Select(i => i / 1000.0)),
            (1, Gen.Choose(1, 0xFFFFF).Select(i => BitConverter.Int64BitsToDouble(i))),
            (1, Gen.Choose(-1074, 1023).Zip(Gen.Elements(1.0, -1.0)).Select(t => Math.ScaleB(t.Item2, t.Item1))));

    /// <summary>Integers from small to far beyond 64 bits.</summary>
    public static Gen<BigInteger> Integer { get; } =
        Gen.Frequency(
            (3, Gen.Choose(-1000, 1000).Select(i => (BigInteger)i)),
            (1, Gen.Elements(long.MinValue, long.MaxValue, (BigInteger)long.MaxValue + 1, (BigInteger)long.MinValue - 1, ulong.MaxValue)),
            (2, Gen.ArrayOf(Gen.Choose(0, 999_999_999), 6).Zip(Gen.Elements(1, -1))
                .Select(t => t.Item1.Aggregate(BigInteger.Zero, (acc, part) => (acc * 1_000_000_000) + part) * t.Item2)));

    /// <summary>JSON values a manifest can hold (finite floats, no lone surrogates).</summary>
    public static Gen<QuiltJsonValue> Writable { get; } = Value(Text, FiniteDouble);

    /// <summary>Any JSON value, including NaN, infinities and lone surrogates.</summary>
    public static Gen<QuiltJsonValue> Any { get; } = Value(
        TextWithLoneSurrogates,
        Gen.Frequency((8, FiniteDouble), (1, Gen.Elements(double.NaN, double.PositiveInfinity, double.NegativeInfinity))));

    /// <summary>JSON objects a manifest can hold.</summary>
    public static Gen<QuiltJsonObject> WritableObject { get; } =
        Gen.Sized(size => ObjectOf(Text, Value(Text, FiniteDouble), Math.Min(size, 6)));

    private static Gen<QuiltJsonValue> Value(Gen<string> text, Gen<double> floats) =>
        Gen.Sized(size => Sized(text, floats, Math.Min(size, 30)));

    private static Gen<QuiltJsonValue> Sized(Gen<string> text, Gen<double> floats, int size)
    {
        var scalar = Gen.OneOf(
            Gen.Constant<QuiltJsonValue>(QuiltJsonNull.Instance),
            Gen.Elements<QuiltJsonValue>(QuiltJsonBool.True, QuiltJsonBool.False),
            Integer.Select(i => (QuiltJsonValue)new QuiltJsonInteger(i)),
            floats.Select(d => (QuiltJsonValue)new QuiltJsonFloat(d)),
            text.Select(s => (QuiltJsonValue)new QuiltJsonString(s)));
        if (size <= 1)
        {
            return scalar;
        }

        var child = Sized(text, floats, size / 3);
        return Gen.Frequency(
            (3, scalar),
            (1, UpTo(child, Math.Min(size, 5)).Select(items => (QuiltJsonValue)new QuiltJsonArray(items))),
            (1, ObjectOf(text, child, Math.Min(size, 5)).Select(o => (QuiltJsonValue)o)));
    }

    /// <summary>Arrays of 0 to <paramref name="max"/> elements.</summary>
    public static Gen<T[]> UpTo<T>(Gen<T> element, int max) =>
        Gen.Choose(0, Math.Max(0, max)).SelectMany(count => Gen.ArrayOf(element, count));

    private static Gen<QuiltJsonObject> ObjectOf(Gen<string> text, Gen<QuiltJsonValue> values, int maxMembers) =>
        Gen.Choose(0, maxMembers).SelectMany(count =>
            Gen.ArrayOf(text.Zip(values), count)
                .Select(pairs => new QuiltJsonObject(pairs.Select(p => new KeyValuePair<string, QuiltJsonValue>(p.Item1, p.Item2)))));
}
