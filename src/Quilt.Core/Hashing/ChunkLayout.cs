using Quilt.Core.Errors;

namespace Quilt.Core.Hashing;

/// <summary>
/// The quilt chunk layout of an object (quilt-format §4.2). Both the <c>sha2-256-chunked</c> hash and the
/// multipart transfers that let S3 compute it server-side must cut the object at exactly these boundaries,
/// so every component asks this class instead of doing its own arithmetic.
/// </summary>
public static class ChunkLayout
{
    /// <summary>The starting chunk size, 8 MiB; also the multipart threshold.</summary>
    public const long DefaultChunkSize = 8L * 1024 * 1024;

    /// <summary>The largest number of parts a layout may have (the S3 multipart limit).</summary>
    public const int MaxParts = 10_000;

    /// <summary>
    /// The chunk size for an object: 8 MiB, doubled while the object would need more than
    /// <see cref="MaxParts"/> parts. It depends on the total size, which is why hashers need it up front.
    /// </summary>
    /// <param name="objectSize">The object size in bytes, ≥ 0.</param>
    public static long ChunkSize(long objectSize)
    {
        ThrowIfNegative(objectSize);
        var chunk = DefaultChunkSize;
        while (CeilDiv(objectSize, chunk) > MaxParts)
        {
            chunk *= 2;
        }

        return chunk;
    }

    /// <summary>The number of parts: <c>ceil(size / chunk)</c>; zero for an empty object, which hashes as no parts at all.</summary>
    /// <param name="objectSize">The object size in bytes, ≥ 0.</param>
    public static int PartCount(long objectSize) => (int)CeilDiv(objectSize, ChunkSize(objectSize));

    /// <summary>
    /// Whether quilt3 transfers the object as a multipart upload/copy (size ≥ 8 MiB; exactly 8 MiB is a
    /// one-part multipart upload). It does not change the hash formula, only which S3 calls produce it.
    /// </summary>
    /// <param name="objectSize">The object size in bytes, ≥ 0.</param>
    public static bool IsMultipart(long objectSize)
    {
        ThrowIfNegative(objectSize);
        return objectSize >= DefaultChunkSize;
    }

    /// <summary>The parts in order as (offset, length); all but the last have the chunk size. Empty for size 0.</summary>
    /// <param name="objectSize">The object size in bytes, ≥ 0.</param>
    public static IEnumerable<(long Offset, long Length)> Parts(long objectSize)
    {
        var chunk = ChunkSize(objectSize);
        return Enumerate(objectSize, chunk);

        static IEnumerable<(long Offset, long Length)> Enumerate(long size, long chunk)
        {
            for (long offset = 0; offset < size; offset += chunk)
            {
                yield return (offset, Math.Min(chunk, size - offset));
            }
        }
    }

    /// <summary>Whether <paramref name="partSizes"/> is exactly the quilt layout of an object of <paramref name="objectSize"/> bytes.</summary>
    /// <param name="objectSize">The object size in bytes, ≥ 0.</param>
    /// <param name="partSizes">Part sizes as S3 reports them, in part-number order.</param>
    public static bool MatchesLayout(long objectSize, IReadOnlyList<long> partSizes)
    {
        ArgumentNullException.ThrowIfNull(partSizes);
        if (partSizes.Count != PartCount(objectSize))
        {
            return false;
        }

        var index = 0;
        foreach (var (_, length) in Parts(objectSize))
        {
            if (partSizes[index++] != length)
            {
                return false;
            }
        }

        return true;
    }

    private static long CeilDiv(long size, long chunk) => size == 0 ? 0 : ((size - 1) / chunk) + 1;

    private static void ThrowIfNegative(long objectSize)
    {
        if (objectSize < 0)
        {
            throw QuiltException.InvalidInput(
                $"Object size {objectSize} is negative.",
                "Pass the object's size in bytes as reported by the store (0 or more).");
        }
    }
}
