using System.Globalization;
using System.Security.Cryptography;
using Quilt.Core.Hashing;
using Quilt.Packaging.Contracts;

namespace Quilt.Packaging.Tests.Matrix;

/// <summary>How a source object was written to S3.</summary>
public enum SourceWriter
{
    /// <summary>PutObject with the SDK's default checksum (CRC32 in AWS SDK v4).</summary>
    PutDefault,

    /// <summary>PutObject with ChecksumAlgorithm SHA256: a full-object SHA-256.</summary>
    PutSha256,

    /// <summary>Multipart upload in 8 MiB parts with SHA-256 part checksums: the parts are the quilt chunks.</summary>
    Multipart8MiB,

    /// <summary>Multipart upload in 5 MiB parts with SHA-256 part checksums: a composite that is not the quilt hash.</summary>
    Multipart5MiB,
}

/// <summary>The registry bucket's versioning state.</summary>
public enum RegistryKind
{
    Versioned,
    Unversioned,
    Suspended,
}

/// <summary>The axes of the matrix and the deterministic content of each source object.</summary>
internal static class MatrixAxes
{
    public const long MiB = 1024 * 1024;

    public static readonly long[] Sizes = [0, 1, MiB - 1, MiB, (8 * MiB) - 1, 8 * MiB, (8 * MiB) + 1, 16 * MiB, (16 * MiB) + 1, (3 * 8 * MiB) + 1];

    public static readonly SourceWriter[] Writers = Enum.GetValues<SourceWriter>();

    public static readonly RegistryKind[] Registries = Enum.GetValues<RegistryKind>();

    public static readonly CopyMode[] CopyModes = [CopyMode.None, CopyMode.All];

    /// <summary>The key naming both coordinates, e.g. <c>s08388609-Multipart5MiB.bin</c>.</summary>
    public static string KeyOf(long size, SourceWriter writer) =>
        string.Create(CultureInfo.InvariantCulture, $"s{size:D8}-{writer}.bin");

    /// <summary>Part size of a multipart writer (null for PutObject writers).</summary>
    public static long? PartSize(SourceWriter writer) => writer switch
    {
        SourceWriter.Multipart8MiB => 8 * MiB,
        SourceWriter.Multipart5MiB => 5 * MiB,
        _ => null,
    };

    /// <summary>Part sizes a multipart writer uses; one empty part for size 0, one short part below the part size.</summary>
    public static IReadOnlyList<long> PartSizes(long size, long partSize)
    {
        if (size == 0)
        {
            return [0];
        }

        var parts = new List<long>();
        for (long offset = 0; offset < size; offset += partSize)
        {
            parts.Add(Math.Min(partSize, size - offset));
        }

        return parts;
    }

    /// <summary>Bytes that differ per (size, writer), so that two cells can never be mixed up and still pass.</summary>
    public static byte[] Content(long size, SourceWriter writer)
    {
        var data = new byte[size];
        var seed = BitConverter.ToInt32(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(KeyOf(size, writer))), 0);
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>The expected quilt hash, with the Core hasher over the bytes as generated (not as stored).</summary>
    public static string ExpectedHash(byte[] data) => ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, data).Value;

    public static string Describe(long size) => size switch
    {
        0 => "0",
        1 => "1",
        _ when size % MiB == 0 => $"{size / MiB} MiB",
        _ when size % MiB == 1 => $"{size / MiB} MiB+1",
        _ when (size + 1) % MiB == 0 => $"{(size + 1) / MiB} MiB-1",
        _ => size.ToString(CultureInfo.InvariantCulture),
    };
}
