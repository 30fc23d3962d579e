namespace Quilt.Core.Hashing;

/// <summary>The hash type names quilt3 knows (quilt-format §4.1).</summary>
public static class QuiltHashTypes
{
    /// <summary>SHA-256 over the concatenated SHA-256 digests of 8 MiB (or larger) chunks, base64; the default since quilt3 6.0.</summary>
    public const string Sha256Chunked = "sha2-256-chunked";

    /// <summary>Legacy plain SHA-256 of the whole object, lowercase hex.</summary>
    public const string Sha256 = "SHA256";

    /// <summary>CRC-64/NVME of the whole object, 8 big-endian bytes, base64.</summary>
    public const string Crc64Nvme = "CRC64NVME";
}
