using System.Buffers;
using System.Security.Cryptography;
using Quilt.Core.Errors;
using Quilt.Core.Hashing.Internal;

namespace Quilt.Core.Hashing;

/// <summary>
/// A streaming calculator for one object's quilt hash (quilt-format §4). The total size is required up front
/// because the <c>sha2-256-chunked</c> chunk layout depends on it; bytes may then arrive in any split, and
/// memory stays constant whatever the object size. <see cref="Finish"/> checks that exactly the declared
/// number of bytes arrived, so an object that changed size while being read cannot get a wrong hash.
/// </summary>
public abstract class ObjectHasher : IDisposable
{
    private const int StreamBufferSize = 1024 * 1024;

    private bool _finished;
    private bool _disposed;

    private protected ObjectHasher(string hashType, long totalSize)
    {
        HashType = hashType;
        TotalSize = totalSize;
    }

    /// <summary>The hash type this calculator produces (one of <see cref="QuiltHashTypes"/>).</summary>
    public string HashType { get; }

    /// <summary>The declared object size in bytes.</summary>
    public long TotalSize { get; }

    /// <summary>How many bytes have been appended so far.</summary>
    public long BytesAppended { get; private set; }

    /// <summary>Creates a calculator for <paramref name="hashType"/> over an object of <paramref name="totalSize"/> bytes.</summary>
    /// <param name="hashType"><c>sha2-256-chunked</c>, <c>SHA256</c> or <c>CRC64NVME</c> (case-sensitive).</param>
    /// <param name="totalSize">The exact number of bytes that will be appended.</param>
    /// <exception cref="QuiltException">Unsupported hash type, or a negative size.</exception>
    public static ObjectHasher Create(string hashType, long totalSize)
    {
        ArgumentNullException.ThrowIfNull(hashType);
        if (totalSize < 0)
        {
            throw QuiltException.InvalidInput($"Object size {totalSize} is negative.", "Pass the object's size in bytes (0 or more).");
        }

        return hashType switch
        {
            QuiltHashTypes.Sha256Chunked => new Sha256ChunkedHasher(totalSize),
            QuiltHashTypes.Sha256 => new Sha256Hasher(totalSize),
            QuiltHashTypes.Crc64Nvme => new Crc64NvmeHasher(totalSize),
            _ => throw QuiltException.Unsupported(
                $"Unsupported hash type '{hashType}'.",
                $"Use one of '{QuiltHashTypes.Sha256Chunked}', '{QuiltHashTypes.Sha256}' or '{QuiltHashTypes.Crc64Nvme}' (case-sensitive)."),
        };
    }

    /// <summary>Hashes a whole object held in memory.</summary>
    /// <param name="hashType">The hash type (see <see cref="Create"/>).</param>
    /// <param name="data">The object's bytes.</param>
    public static QuiltHash Compute(string hashType, ReadOnlySpan<byte> data)
    {
        using var hasher = Create(hashType, data.Length);
        hasher.Append(data);
        return hasher.Finish();
    }

    /// <summary>
    /// Hashes a stream read sequentially to its end with a pooled buffer. The stream must yield exactly
    /// <paramref name="totalSize"/> bytes; more or fewer is an integrity error.
    /// </summary>
    /// <param name="hashType">The hash type (see <see cref="Create"/>).</param>
    /// <param name="stream">The object's bytes; not disposed here.</param>
    /// <param name="totalSize">The object's declared size.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<QuiltHash> ComputeAsync(string hashType, Stream stream, long totalSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var hasher = Create(hashType, totalSize);
        var buffer = ArrayPool<byte>.Shared.Rent(StreamBufferSize);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, StreamBufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                hasher.Append(buffer.AsSpan(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return hasher.Finish();
    }

    /// <summary>
    /// The <c>sha2-256-chunked</c> hash of a random-access source read in small pieces: the quilt chunks are hashed
    /// concurrently, at most <paramref name="maxParallelism"/> at a time, each through one pooled buffer of
    /// <paramref name="bufferSize"/> bytes, so memory is about <paramref name="maxParallelism"/> buffers whatever the
    /// chunk size (a file hashed this way never holds whole 8 MiB chunks).
    /// </summary>
    /// <param name="totalSize">The object's size; it fixes the chunk layout.</param>
    /// <param name="readAt">Reads bytes at an offset into the buffer and returns how many it read (0 at the end).</param>
    /// <param name="maxParallelism">How many chunks may be read at once, ≥ 1.</param>
    /// <param name="bufferSize">Bytes read per call, ≥ 1.</param>
    /// <param name="cancellationToken">Cancels outstanding reads.</param>
    /// <exception cref="QuiltException">The source ended before <paramref name="totalSize"/> bytes (kind Integrity).</exception>
    public static async Task<QuiltHash> ComputeChunkedAsync(
        long totalSize,
        Func<long, Memory<byte>, CancellationToken, ValueTask<int>> readAt,
        int maxParallelism,
        int bufferSize,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(readAt);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallelism, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1);
        var parts = ChunkLayout.Parts(totalSize).Select((part, index) => (part.Offset, part.Length, Index: index)).ToArray();
        var digests = new byte[parts.Length * Sha256Chunked.DigestLength];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(parts, options, async (part, ct) =>
        {
            var buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
            try
            {
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                long done = 0;
                while (done < part.Length)
                {
                    var want = (int)Math.Min(bufferSize, part.Length - done);
                    var n = await readAt(part.Offset + done, buffer.AsMemory(0, want), ct).ConfigureAwait(false);
                    if (n <= 0)
                    {
                        throw QuiltException.Integrity(
                            $"Reading bytes {part.Offset}–{part.Offset + part.Length - 1} ended after {done} bytes.",
                            "The object may have changed or been truncated while it was read; retry.");
                    }

                    sha.AppendData(buffer, 0, n);
                    done += n;
                }

                sha.GetHashAndReset(digests.AsSpan(part.Index * Sha256Chunked.DigestLength, Sha256Chunked.DigestLength));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }).ConfigureAwait(false);

        return new QuiltHash(QuiltHashTypes.Sha256Chunked, parts.Length == 0 ? Sha256Chunked.EmptyValue : Convert.ToBase64String(SHA256.HashData(digests)));
    }

    /// <summary>Adds the next bytes of the object; any split of the input gives the same result.</summary>
    /// <param name="data">The next bytes.</param>
    /// <exception cref="QuiltException">More bytes than the declared size (kind Integrity).</exception>
    public void Append(ReadOnlySpan<byte> data)
    {
        ThrowIfUnusable();
        if (data.Length > TotalSize - BytesAppended)
        {
            throw QuiltException.Integrity(
                $"Received more than the declared {TotalSize} bytes for a {HashType} hash.",
                "The object may have changed while it was read; retry with its current size.");
        }

        AppendCore(data);
        BytesAppended += data.Length;
    }

    /// <summary>Completes the hash. Can be called once.</summary>
    /// <exception cref="QuiltException">Fewer bytes than the declared size were appended (kind Integrity).</exception>
    public QuiltHash Finish()
    {
        ThrowIfUnusable();
        if (BytesAppended != TotalSize)
        {
            throw QuiltException.Integrity(
                $"Expected {TotalSize} bytes for a {HashType} hash but received {BytesAppended}.",
                "The object may have changed or been truncated while it was read; retry with its current size.");
        }

        _finished = true;
        return new QuiltHash(HashType, FinishCore());
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the underlying hash state.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing) => _disposed = true;

    /// <summary>Hashes bytes already checked against the declared size.</summary>
    private protected abstract void AppendCore(ReadOnlySpan<byte> data);

    /// <summary>Produces the value text once all bytes arrived.</summary>
    private protected abstract string FinishCore();

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_finished)
        {
            throw new InvalidOperationException("This hasher has already finished; create a new one per object.");
        }
    }
}
