using System.Buffers.Binary;

namespace Quilt.Core.Hashing;

/// <summary>
/// CRC-64/NVME (quilt-format §4.4): width 64, reflected polynomial 0xAD93D23594C93659, init and xorout all
/// ones. This is the <c>CRC64NVME</c> hash type and S3's <c>ChecksumCRC64NVME</c>; <see cref="Combine"/>
/// lets chunks hashed independently (in parallel, or by S3 per part) give the whole-object value.
/// </summary>
public static class Crc64Nvme
{
    /// <summary>The bit-reversed polynomial used by the reflected (LSB-first) algorithm.</summary>
    private const ulong ReflectedPolynomial = 0x9A6C9329AC4BC9B5UL;

    /// <summary>x^0 in the reflected representation (bit 63 is the coefficient of x^0).</summary>
    private const ulong One = 1UL << 63;

    // Slice-by-8 tables: Table[k * 256 + b] is the register update for byte b followed by k zero bytes.
    private static readonly ulong[] Table = BuildTable();

    // PowersOfX[k] = x^(2^k) mod P, for shifting a CRC past a run of zero bits in O(log n).
    private static readonly ulong[] PowersOfX = BuildPowers();

    /// <summary>The CRC of <paramref name="data"/> (the value S3 and quilt store, before base64).</summary>
    /// <param name="data">The whole object, or the first piece of it (continue with <see cref="Append"/>).</param>
    public static ulong Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Continues a CRC: <c>Append(Compute(a), b) == Compute(a ‖ b)</c>. <c>Append(0, x)</c> equals <c>Compute(x)</c>.</summary>
    /// <param name="crc">The CRC of the bytes so far (0 for none).</param>
    /// <param name="data">The next bytes.</param>
    public static ulong Append(ulong crc, ReadOnlySpan<byte> data) => ~UpdateRegister(~crc, data);

    /// <summary>
    /// The CRC of <c>a ‖ b</c> from <c>Compute(a)</c>, <c>Compute(b)</c> and the length of <c>b</c>, without the bytes;
    /// O(log length).
    /// </summary>
    /// <param name="crcFirst">CRC of the first piece.</param>
    /// <param name="crcSecond">CRC of the second piece.</param>
    /// <param name="secondLength">Length of the second piece in bytes, ≥ 0.</param>
    public static ulong Combine(ulong crcFirst, ulong crcSecond, long secondLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(secondLength);
        return MultiplyModP(XPowerEightN(secondLength), crcFirst) ^ crcSecond;
    }

    /// <summary>The quilt/S3 text form: the 8 big-endian bytes in base64 (12 characters).</summary>
    /// <param name="crc">The CRC value.</param>
    public static string ToBase64(ulong crc)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, crc);
        return Convert.ToBase64String(bytes);
    }

    /// <summary>Feeds bytes into the raw register (no init/xorout), eight bytes per step.</summary>
    internal static ulong UpdateRegister(ulong register, ReadOnlySpan<byte> data)
    {
        var table = Table.AsSpan();
        var t0 = table[..256];
        var t1 = table.Slice(256, 256);
        var t2 = table.Slice(512, 256);
        var t3 = table.Slice(768, 256);
        var t4 = table.Slice(1024, 256);
        var t5 = table.Slice(1280, 256);
        var t6 = table.Slice(1536, 256);
        var t7 = table.Slice(1792, 256);

        while (data.Length >= 8)
        {
            var v = register ^ BinaryPrimitives.ReadUInt64LittleEndian(data);
            register = t7[(int)(v & 0xFF)]
                ^ t6[(int)((v >> 8) & 0xFF)]
                ^ t5[(int)((v >> 16) & 0xFF)]
                ^ t4[(int)((v >> 24) & 0xFF)]
                ^ t3[(int)((v >> 32) & 0xFF)]
                ^ t2[(int)((v >> 40) & 0xFF)]
                ^ t1[(int)((v >> 48) & 0xFF)]
                ^ t0[(int)(v >> 56)];
            data = data[8..];
        }

        foreach (var b in data)
        {
            register = t0[(int)((register ^ b) & 0xFF)] ^ (register >> 8);
        }

        return register;
    }

    /// <summary>Bitwise reference update, one bit at a time; used to build the tables and to check them in tests.</summary>
    internal static ulong UpdateRegisterBitwise(ulong register, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            register ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                register = (register & 1) != 0 ? (register >> 1) ^ ReflectedPolynomial : register >> 1;
            }
        }

        return register;
    }

    /// <summary>a·b mod P in the reflected representation.</summary>
    private static ulong MultiplyModP(ulong a, ulong b)
    {
        ulong product = 0;
        for (var m = One; m != 0; m >>= 1)
        {
            if ((a & m) != 0)
            {
                product ^= b;
                if ((a & (m - 1)) == 0)
                {
                    break;
                }
            }

            b = (b & 1) != 0 ? (b >> 1) ^ ReflectedPolynomial : b >> 1;
        }

        return product;
    }

    /// <summary>x^(8·n) mod P: the operator that moves a CRC past n zero bytes.</summary>
    private static ulong XPowerEightN(long n)
    {
        var result = One;
        var k = 3; // 2^3 = 8 bits per byte
        for (var rest = (ulong)n; rest != 0; rest >>= 1, k++)
        {
            if ((rest & 1) != 0)
            {
                result = MultiplyModP(PowersOfX[k], result);
            }
        }

        return result;
    }

    private static ulong[] BuildTable()
    {
        var table = new ulong[8 * 256];
        Span<byte> one = stackalloc byte[1];
        for (var i = 0; i < 256; i++)
        {
            one[0] = (byte)i;
            table[i] = UpdateRegisterBitwise(0, one);
        }

        for (var k = 1; k < 8; k++)
        {
            for (var i = 0; i < 256; i++)
            {
                var previous = table[((k - 1) * 256) + i];
                table[(k * 256) + i] = (previous >> 8) ^ table[(int)(previous & 0xFF)];
            }
        }

        return table;
    }

    private static ulong[] BuildPowers()
    {
        var powers = new ulong[3 + 64]; // enough for any long byte count
        var p = One >> 1; // x^1
        for (var k = 0; k < powers.Length; k++)
        {
            powers[k] = p;
            p = MultiplyModP(p, p);
        }

        return powers;
    }
}
