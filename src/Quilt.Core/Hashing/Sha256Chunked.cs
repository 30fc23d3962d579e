using System.Security.Cryptography;
using Quilt.Core.Errors;

namespace Quilt.Core.Hashing;

/// <summary>
/// The <c>sha2-256-chunked</c> combination step (quilt-format §4.3): SHA-256 over the concatenated raw
/// SHA-256 digests of the parts, base64. Used when the part digests come from elsewhere — S3 part
/// checksums of an <c>UploadPartCopy</c> per quilt chunk, or chunks hashed in parallel.
/// </summary>
public static class Sha256Chunked
{
    /// <summary>The length of one SHA-256 digest in bytes.</summary>
    public const int DigestLength = 32;

    /// <summary>The value for an empty object: zero parts, so SHA-256 of nothing (single hash).</summary>
    public const string EmptyValue = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

    /// <summary>Combines raw 32-byte part digests, in part order. No parts gives <see cref="EmptyValue"/>.</summary>
    /// <param name="partDigests">Each part's SHA-256 digest.</param>
    /// <exception cref="QuiltException">A digest is not 32 bytes (kind InvalidInput).</exception>
    public static QuiltHash CombinePartDigests(IEnumerable<ReadOnlyMemory<byte>> partDigests)
    {
        ArgumentNullException.ThrowIfNull(partDigests);
        using var outer = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var index = 0;
        foreach (var digest in partDigests)
        {
            index++;
            if (digest.Length != DigestLength)
            {
                throw QuiltException.InvalidInput(
                    $"Part {index} digest has {digest.Length} bytes; a SHA-256 digest has {DigestLength}.",
                    "Pass the raw SHA-256 digest of each part, in part order.");
            }

            outer.AppendData(digest.Span);
        }

        Span<byte> result = stackalloc byte[DigestLength];
        outer.GetHashAndReset(result);
        return new QuiltHash(QuiltHashTypes.Sha256Chunked, Convert.ToBase64String(result));
    }

    /// <summary>Combines base64 part checksums (S3 <c>ChecksumSHA256</c> of each part), in part order.</summary>
    /// <param name="base64PartChecksums">Each part's SHA-256 in base64.</param>
    /// <exception cref="QuiltException">A checksum is not base64 of 32 bytes (kind InvalidInput).</exception>
    public static QuiltHash CombinePartChecksums(IEnumerable<string> base64PartChecksums)
    {
        ArgumentNullException.ThrowIfNull(base64PartChecksums);
        return CombinePartDigests(base64PartChecksums.Select((checksum, index) => (ReadOnlyMemory<byte>)DecodeDigest(checksum, index + 1)));
    }

    /// <summary>Decodes base64 of exactly 32 bytes, or returns null.</summary>
    internal static byte[]? TryDecodeDigest(string? base64)
    {
        if (string.IsNullOrEmpty(base64))
        {
            return null;
        }

        var bytes = new byte[DigestLength];
        return Convert.TryFromBase64String(base64, bytes, out var written) && written == DigestLength ? bytes : null;
    }

    private static byte[] DecodeDigest(string checksum, int partNumber) =>
        TryDecodeDigest(checksum) ?? throw QuiltException.InvalidInput(
            $"Part {partNumber} checksum '{checksum}' is not the base64 of a 32-byte SHA-256 digest.",
            "Pass each part's ChecksumSHA256 exactly as S3 returned it.");
}
