using System.Text;

namespace Quilt.Storage.Tests.Fakes;

/// <summary>Deterministic test content: the same bytes on every run, no random seeds from the clock.</summary>
internal static class TestData
{
    public const int MiB = 1024 * 1024;

    /// <summary><paramref name="unit"/> (ASCII) repeated <paramref name="times"/> times.</summary>
    public static byte[] Repeat(string unit, int times)
    {
        var bytes = Encoding.ASCII.GetBytes(unit);
        var result = new byte[bytes.Length * times];
        for (var i = 0; i < times; i++)
        {
            bytes.CopyTo(result, i * bytes.Length);
        }

        return result;
    }

    /// <summary><paramref name="size"/> pseudo-random bytes from a fixed xorshift sequence seeded by <paramref name="seed"/>.</summary>
    public static byte[] Bytes(int size, uint seed = 1)
    {
        var result = new byte[size];
        var x = seed == 0 ? 0x9E3779B9u : seed;
        for (var i = 0; i < size; i++)
        {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            result[i] = (byte)x;
        }

        return result;
    }
}
