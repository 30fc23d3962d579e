// TEMPORARY: stands in for Quilt.Core.Hashing from branch core-rules until its "Hashing:" commit exists.
// Same names and signatures as announced; deleted when core-rules is merged.
#pragma warning disable CA1812, CA1305, CA1062
using System.Security.Cryptography;

namespace Quilt.Core.Hashing;

internal static class ChunkLayout
{
    private const long MinChunk = 8L * 1024 * 1024;
    private const long MaxParts = 10_000;

    public static long ChunkSize(long size)
    {
        var chunk = MinChunk;
        while ((size + chunk - 1) / chunk > MaxParts)
        {
            chunk *= 2;
        }

        return chunk;
    }

    public static int PartCount(long size) => size == 0 ? 0 : (int)((size + ChunkSize(size) - 1) / ChunkSize(size));

    public static bool IsMultipart(long size) => size >= MinChunk;

    public static IReadOnlyList<(long Offset, long Length)> Parts(long size)
    {
        var chunk = ChunkSize(size);
        var parts = new List<(long, long)>();
        for (long offset = 0; offset < size; offset += chunk)
        {
            parts.Add((offset, Math.Min(chunk, size - offset)));
        }

        return parts;
    }
}

internal sealed class ObjectHasher
{
    private readonly long _chunk;
    private readonly List<byte[]> _digests = [];
    private IncrementalHash _current = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _inChunk;
    private long _total;

    private ObjectHasher(long totalSize) => _chunk = ChunkLayout.ChunkSize(totalSize);

    public static ObjectHasher Create(string hashType, long totalSize) =>
        hashType == QuiltHashTypes.Sha256Chunked ? new ObjectHasher(totalSize) : throw new NotSupportedException(hashType);

    public void Append(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var take = (int)Math.Min(data.Length, _chunk - _inChunk);
            _current.AppendData(data[..take]);
            _inChunk += take;
            _total += take;
            data = data[take..];
            if (_inChunk == _chunk)
            {
                _digests.Add(_current.GetHashAndReset());
                _inChunk = 0;
            }
        }
    }

    public QuiltHash Finish()
    {
        if (_inChunk > 0)
        {
            _digests.Add(_current.GetHashAndReset());
        }

        _current.Dispose();
        _current = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        return new QuiltHash(QuiltHashTypes.Sha256Chunked, Sha256Chunked.CombinePartChecksums(_digests.Select(Convert.ToBase64String)));
    }

    public static async Task<QuiltHash> ComputeChunkedAsync(long totalSize, Func<long, int, CancellationToken, Task<ReadOnlyMemory<byte>>> readChunk, int maxParallelism, CancellationToken cancellationToken)
    {
        var parts = ChunkLayout.Parts(totalSize);
        var digests = new string[parts.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, parts.Count), new ParallelOptions { MaxDegreeOfParallelism = maxParallelism, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var mem = await readChunk(parts[i].Offset, (int)parts[i].Length, ct).ConfigureAwait(false);
            digests[i] = Convert.ToBase64String(SHA256.HashData(mem.Span));
        }).ConfigureAwait(false);
        return new QuiltHash(QuiltHashTypes.Sha256Chunked, Sha256Chunked.CombinePartChecksums(digests));
    }
}

internal static class Sha256Chunked
{
    public static string CombinePartChecksums(IEnumerable<string> base64PartChecksums)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var p in base64PartChecksums)
        {
            h.AppendData(Convert.FromBase64String(p));
        }

        return Convert.ToBase64String(h.GetHashAndReset());
    }
}

internal static class S3ChecksumConverter
{
    private static readonly string EmptySha = Convert.ToBase64String(SHA256.HashData([]));

    public static QuiltHash? FromFullObjectSha256(string b64, long size)
    {
        if (ChunkLayout.PartCount(size) > 1)
        {
            return null;
        }

        if (size == 0)
        {
            return new QuiltHash(QuiltHashTypes.Sha256Chunked, EmptySha);
        }

        return new QuiltHash(QuiltHashTypes.Sha256Chunked, Convert.ToBase64String(SHA256.HashData(Convert.FromBase64String(b64))));
    }

    public static QuiltHash? FromCompositeSha256(string value, long size, IReadOnlyList<long>? partSizes)
    {
        var dash = value.LastIndexOf('-');
        if (dash < 0 || partSizes is null)
        {
            return null;
        }

        var expected = ChunkLayout.Parts(size).Select(p => p.Length).ToList();
        if (!expected.SequenceEqual(partSizes) || int.Parse(value[(dash + 1)..]) != expected.Count)
        {
            return null;
        }

        return new QuiltHash(QuiltHashTypes.Sha256Chunked, value[..dash]);
    }

    public static QuiltHash? FromS3Checksum(string? sha256, string? checksumType, long size, IReadOnlyList<long>? partSizes)
    {
        if (sha256 is null)
        {
            return null;
        }

        return sha256.Contains('-', StringComparison.Ordinal) || checksumType == "COMPOSITE"
            ? FromCompositeSha256(sha256, size, partSizes)
            : FromFullObjectSha256(sha256, size);
    }
}
