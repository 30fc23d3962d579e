using System.Globalization;
using System.Security.Cryptography;

namespace Quilt.Core.Hashing;

/// <summary>
/// Turns a SHA-256 checksum that S3 stored or returned into the quilt <c>sha2-256-chunked</c> value, when
/// (and only when) that is exact (quilt-format §4.3, §4.5 item 2; DESIGN §3 step 3b). This is what lets a
/// package be built without reading the bytes. Every method returns null when the checksum cannot be
/// converted with certainty; the caller then falls back to another way of hashing.
/// </summary>
public static class S3ChecksumConverter
{
    /// <summary>S3 <c>ChecksumType</c> of a checksum over the whole object.</summary>
    public const string FullObject = "FULL_OBJECT";

    /// <summary>S3 <c>ChecksumType</c> of a checksum over the part checksums of a multipart upload.</summary>
    public const string Composite = "COMPOSITE";

    /// <summary>
    /// Converts a full-object SHA-256 (PutObject, CopyObject, HeadObject of a single-part object): the quilt
    /// value is SHA-256 of the decoded digest, because a one-chunk object hashes as SHA-256(SHA-256(data)).
    /// An empty object keeps S3's value (SHA-256 of nothing), as quilt3 does.
    /// Returns null when the object spans more than one quilt chunk (then a full-object digest says nothing
    /// about the chunk digests), when the text is not base64, or when an empty object's checksum is not
    /// SHA-256 of nothing (or a non-empty object claims that digest).
    /// Like quilt3, a decoded value of another length than 32 bytes is re-hashed as is.
    /// </summary>
    /// <param name="base64">The S3 <c>ChecksumSHA256</c>, without a <c>-N</c> suffix.</param>
    /// <param name="objectSize">The object's size in bytes.</param>
    public static QuiltHash? FromFullObjectSha256(string base64, long objectSize)
    {
        ArgumentNullException.ThrowIfNull(base64);
        if (ChunkLayout.PartCount(objectSize) > 1)
        {
            return null;
        }

        var decoded = TryDecode(base64);
        if (decoded is null)
        {
            return null;
        }

        var isEmptyDigest = decoded.AsSpan().SequenceEqual(EmptyDigest);
        if (objectSize == 0 || isEmptyDigest)
        {
            return objectSize == 0 && isEmptyDigest ? new QuiltHash(QuiltHashTypes.Sha256Chunked, Sha256Chunked.EmptyValue) : null;
        }

        return new QuiltHash(QuiltHashTypes.Sha256Chunked, Convert.ToBase64String(SHA256.HashData(decoded)));
    }

    /// <summary>
    /// Converts a composite (multipart) SHA-256 <c>"&lt;b64&gt;-&lt;n&gt;"</c>: it equals the quilt value exactly when the
    /// upload's parts are the quilt chunks. Accepted only when n equals <see cref="ChunkLayout.PartCount"/>
    /// and, if <paramref name="partSizes"/> is given, the part sizes equal the quilt layout; pass the part
    /// sizes whenever they are known, because a part count alone cannot rule out another layout.
    /// </summary>
    /// <param name="valueWithPartSuffix">The S3 value including its <c>-N</c> suffix.</param>
    /// <param name="objectSize">The object's size in bytes.</param>
    /// <param name="partSizes">The object's part sizes in part order (GetObjectAttributes <c>ObjectParts</c>), or null.</param>
    public static QuiltHash? FromCompositeSha256(string valueWithPartSuffix, long objectSize, IReadOnlyList<long>? partSizes = null)
    {
        ArgumentNullException.ThrowIfNull(valueWithPartSuffix);
        var dash = valueWithPartSuffix.LastIndexOf('-');
        if (dash <= 0
            || !int.TryParse(valueWithPartSuffix.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var partCount))
        {
            return null;
        }

        return FromComposite(valueWithPartSuffix[..dash], partCount, objectSize, partSizes);
    }

    /// <summary>
    /// Converts whatever S3 returned for an object's SHA-256: a value with a <c>-N</c> suffix is composite;
    /// a value without one is composite when <paramref name="checksumType"/> says <c>COMPOSITE</c> (as
    /// GetObjectAttributes reports it; then <paramref name="partSizes"/> is required), else full-object.
    /// </summary>
    /// <param name="sha256">The S3 <c>ChecksumSHA256</c>, or null when the server returned none.</param>
    /// <param name="checksumType">The S3 <c>ChecksumType</c> (<c>FULL_OBJECT</c>, <c>COMPOSITE</c>) or null.</param>
    /// <param name="objectSize">The object's size in bytes.</param>
    /// <param name="partSizes">The object's part sizes in part order, or null.</param>
    public static QuiltHash? FromS3Checksum(string? sha256, string? checksumType, long objectSize, IReadOnlyList<long>? partSizes = null)
    {
        if (string.IsNullOrEmpty(sha256))
        {
            return null;
        }

        // Base64 never contains '-', so a dash can only be the part-count suffix.
        if (sha256.Contains('-', StringComparison.Ordinal))
        {
            return FromCompositeSha256(sha256, objectSize, partSizes);
        }

        if (string.Equals(checksumType, Composite, StringComparison.OrdinalIgnoreCase))
        {
            return partSizes is null ? null : FromComposite(sha256, partSizes.Count, objectSize, partSizes);
        }

        return FromFullObjectSha256(sha256, objectSize);
    }

    private static ReadOnlySpan<byte> EmptyDigest =>
    [
        0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
        0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
    ];

    private static QuiltHash? FromComposite(string base64, int partCount, long objectSize, IReadOnlyList<long>? partSizes)
    {
        if (partCount != ChunkLayout.PartCount(objectSize) || partCount == 0)
        {
            return null;
        }

        if (partSizes is not null && !ChunkLayout.MatchesLayout(objectSize, partSizes))
        {
            return null;
        }

        // The result is the value itself, so it must be a real 32-byte digest.
        var digest = Sha256Chunked.TryDecodeDigest(base64);
        return digest is null ? null : new QuiltHash(QuiltHashTypes.Sha256Chunked, Convert.ToBase64String(digest));
    }

    private static byte[]? TryDecode(string base64)
    {
        if (base64.Length == 0)
        {
            return null;
        }

        var buffer = new byte[(base64.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(base64, buffer, out var written) && written > 0 ? buffer[..written] : null;
    }
}
