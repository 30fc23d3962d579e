using System.Security.Cryptography;

namespace Quilt.Core.Hashing.Internal;

/// <summary>
/// Streaming <c>sha2-256-chunked</c>: the current chunk is hashed incrementally and each finished chunk's
/// 32-byte digest goes straight into the outer hash, so memory is constant.
/// </summary>
internal sealed class Sha256ChunkedHasher : ObjectHasher
{
    private readonly long _chunkSize;
    private readonly IncrementalHash _chunk = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IncrementalHash _outer = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _chunkFill;

    public Sha256ChunkedHasher(long totalSize)
        : this(totalSize, ChunkLayout.ChunkSize(totalSize))
    {
    }

    /// <summary>Uses an explicit chunk size, so tests can exercise chunk boundaries with small inputs.</summary>
    internal Sha256ChunkedHasher(long totalSize, long chunkSize)
        : base(QuiltHashTypes.Sha256Chunked, totalSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        _chunkSize = chunkSize;
    }

    private protected override void AppendCore(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var take = (int)Math.Min(data.Length, _chunkSize - _chunkFill);
            _chunk.AppendData(data[..take]);
            _chunkFill += take;
            data = data[take..];
            if (_chunkFill == _chunkSize)
            {
                CloseChunk();
            }
        }
    }

    private protected override string FinishCore()
    {
        if (TotalSize == 0)
        {
            return Sha256Chunked.EmptyValue;
        }

        if (_chunkFill > 0)
        {
            CloseChunk();
        }

        Span<byte> digest = stackalloc byte[Sha256Chunked.DigestLength];
        _outer.GetHashAndReset(digest);
        return Convert.ToBase64String(digest);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _chunk.Dispose();
            _outer.Dispose();
        }

        base.Dispose(disposing);
    }

    private void CloseChunk()
    {
        Span<byte> digest = stackalloc byte[Sha256Chunked.DigestLength];
        _chunk.GetHashAndReset(digest);
        _outer.AppendData(digest);
        _chunkFill = 0;
    }
}
