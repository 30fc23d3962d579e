using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using Quilt.Core.Errors;
using Quilt.Core.Hashing;
using Quilt.Core.Hashing.Internal;

namespace Quilt.Core.Tests.Hashing;

public sealed class ObjectHasherTests
{
    private const int MiB = 1024 * 1024;

    private static readonly string[] AllTypes = [QuiltHashTypes.Sha256Chunked, QuiltHashTypes.Sha256, QuiltHashTypes.Crc64Nvme];

    [Fact]
    public void Append_RandomSplits_EqualsOneShot()
    {
        var property = Prop.ForAll(
            Arb.From(Gen.Elements(AllTypes)),
            ArbMap.Default.ArbFor<byte[]>(),
            ArbMap.Default.ArbFor<int[]>(),
            (type, data, cuts) =>
            {
                var expected = ObjectHasher.Compute(type, data);
                using var hasher = ObjectHasher.Create(type, data.Length);
                foreach (var piece in Split(data, cuts))
                {
                    hasher.Append(piece);
                }

                return hasher.Finish() == expected;
            });

        property.QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ChunkedHasher_SmallChunksAnySplit_EqualsCombinedChunkDigests()
    {
        // With a tiny chunk size every boundary case (split inside, at, across chunks) shows up in small inputs.
        var property = Prop.ForAll(
            ArbMap.Default.ArbFor<byte[]>(),
            Arb.From(Gen.Choose(1, 9)),
            ArbMap.Default.ArbFor<int[]>(),
            (data, chunk, cuts) =>
            {
                using var hasher = new Sha256ChunkedHasher(data.Length, chunk);
                foreach (var piece in Split(data, cuts))
                {
                    hasher.Append(piece);
                }

                var expected = data.Length == 0
                    ? Sha256Chunked.EmptyValue
                    : Sha256Chunked.CombinePartDigests(data.Chunk(chunk).Select(c => (ReadOnlyMemory<byte>)SHA256.HashData(c))).Value;
                return hasher.Finish().Value == expected;
            });

        property.QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Append_ByteByByteAcrossChunkBoundary_EqualsOneShot()
    {
        var data = S3ChecksumConverterTests.RandomBytes((8 * MiB) + 3, seed: 7);
        using var hasher = ObjectHasher.Create(QuiltHashTypes.Sha256Chunked, data.Length);
        hasher.Append(data.AsSpan(0, (8 * MiB) - 2));
        for (var i = (8 * MiB) - 2; i < data.Length; i++)
        {
            hasher.Append(data.AsSpan(i, 1));
        }

        hasher.Finish().ShouldBe(ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, data));
    }

    /// <summary>A reader over a byte array that records the largest read asked for and the most reads at once.</summary>
    private sealed class RecordingSource(byte[] data, int maxReturned = int.MaxValue)
    {
        private int _inFlight;
        private int _maxInFlight;
        private int _maxRequested;

        public int MaxInFlight => _maxInFlight;

        public int MaxRequested => _maxRequested;

        public async ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
        {
            InterlockedMax(ref _maxInFlight, Interlocked.Increment(ref _inFlight));
            InterlockedMax(ref _maxRequested, buffer.Length);
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            var n = (int)Math.Min(Math.Min(buffer.Length, maxReturned), data.Length - offset);
            data.AsSpan((int)offset, n).CopyTo(buffer.Span);
            Interlocked.Decrement(ref _inFlight);
            return n;
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData((8 * MiB) - 1)]
    [InlineData(8 * MiB)]
    [InlineData((8 * MiB) + 1)]
    [InlineData(18 * MiB)]
    public async Task ComputeChunkedAsync_Size_EqualsSequentialHashOfEachQuiltChunk(int size)
    {
        var data = S3ChecksumConverterTests.RandomBytes(size, seed: size);
        var source = new RecordingSource(data, maxReturned: 100_000); // short reads too

        var parallel = await ObjectHasher.ComputeChunkedAsync(size, source.ReadAsync, maxParallelism: 4, bufferSize: 256 * 1024, TestContext.Current.CancellationToken);

        // Independent: SHA-256 of each 8 MiB piece, then of the concatenated digests (quilt-format.md).
        var digests = new List<byte>();
        for (var offset = 0; offset < size; offset += 8 * MiB)
        {
            digests.AddRange(System.Security.Cryptography.SHA256.HashData(data.AsSpan(offset, Math.Min(8 * MiB, size - offset))));
        }

        var expected = size == 0 ? Sha256Chunked.EmptyValue : Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(digests.ToArray()));
        parallel.ShouldBe(new QuiltHash(QuiltHashTypes.Sha256Chunked, expected));
    }

    [Fact]
    public async Task ComputeChunkedAsync_ManyChunks_HoldsAtMostParallelismBuffersOfTheBufferSize()
    {
        var size = (8 * MiB * 6) + 5;
        var source = new RecordingSource(new byte[size]);

        await ObjectHasher.ComputeChunkedAsync(size, source.ReadAsync, maxParallelism: 2, bufferSize: 64 * 1024, TestContext.Current.CancellationToken);

        // Memory is bounded by what is read at once: never a whole 8 MiB chunk, never more than two reads.
        source.MaxInFlight.ShouldBeInRange(1, 2);
        source.MaxRequested.ShouldBe(64 * 1024);
    }

    [Fact]
    public async Task ComputeChunkedAsync_SourceEndsEarly_ThrowsIntegrity()
    {
        var data = new byte[10];

        var ex = await Should.ThrowAsync<QuiltException>(() => ObjectHasher.ComputeChunkedAsync(
            11, new RecordingSource(data).ReadAsync, 1, 4, TestContext.Current.CancellationToken));

        ex.Kind.ShouldBe(QuiltErrorKind.Integrity);
        ex.Message.ShouldContain("ended after 10 bytes");
    }

    [Fact]
    public async Task ComputeChunkedAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => ObjectHasher.ComputeChunkedAsync(
            100, new RecordingSource(new byte[100]).ReadAsync, 1, 10, cts.Token));
    }

    [Fact]
    public async Task ComputeChunkedAsync_BadArguments_Throw()
    {
        var source = new RecordingSource(new byte[1]);
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => ObjectHasher.ComputeChunkedAsync(1, source.ReadAsync, 0, 1));
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => ObjectHasher.ComputeChunkedAsync(1, source.ReadAsync, 1, 0));
        await Should.ThrowAsync<ArgumentNullException>(() => ObjectHasher.ComputeChunkedAsync(1, null!, 1, 1));
        (await Should.ThrowAsync<QuiltException>(() => ObjectHasher.ComputeChunkedAsync(-1, source.ReadAsync, 1, 1)))
            .Kind.ShouldBe(QuiltErrorKind.InvalidInput);
    }

    [Theory]
    [InlineData(QuiltHashTypes.Sha256Chunked)]
    [InlineData(QuiltHashTypes.Sha256)]
    [InlineData(QuiltHashTypes.Crc64Nvme)]
    public void Finish_FewerBytesThanDeclared_ThrowsIntegrity(string type)
    {
        using var hasher = ObjectHasher.Create(type, 5);
        hasher.Append([1, 2, 3, 4]);

        var ex = Should.Throw<QuiltException>(hasher.Finish);

        ex.Kind.ShouldBe(QuiltErrorKind.Integrity);
        ex.Message.ShouldContain("Expected 5 bytes");
        ex.Message.ShouldContain("received 4");
    }

    [Theory]
    [InlineData(QuiltHashTypes.Sha256Chunked)]
    [InlineData(QuiltHashTypes.Sha256)]
    [InlineData(QuiltHashTypes.Crc64Nvme)]
    public void Append_MoreBytesThanDeclared_ThrowsIntegrity(string type)
    {
        using var hasher = ObjectHasher.Create(type, 3);
        hasher.Append([1, 2]);

        Should.Throw<QuiltException>(() => hasher.Append([3, 4])).Kind.ShouldBe(QuiltErrorKind.Integrity);
        hasher.BytesAppended.ShouldBe(2);
    }

    [Theory]
    [InlineData("sha256")]
    [InlineData("SHA2-256-CHUNKED")]
    [InlineData("MD5")]
    [InlineData("")]
    public void Create_UnknownType_ThrowsUnsupportedWithHint(string type)
    {
        var ex = Should.Throw<QuiltException>(() => ObjectHasher.Create(type, 0));

        ex.Kind.ShouldBe(QuiltErrorKind.Unsupported);
        ex.Message.ShouldContain($"'{type}'");
        ex.Hint!.ShouldContain(QuiltHashTypes.Sha256Chunked);
    }

    [Fact]
    public void Create_NegativeSize_ThrowsInvalidInput()
    {
        Should.Throw<QuiltException>(() => ObjectHasher.Create(QuiltHashTypes.Sha256, -1)).Kind.ShouldBe(QuiltErrorKind.InvalidInput);
    }

    [Fact]
    public void Create_KnownType_ReportsTypeAndSize()
    {
        using var hasher = ObjectHasher.Create(QuiltHashTypes.Crc64Nvme, 42);

        hasher.HashType.ShouldBe(QuiltHashTypes.Crc64Nvme);
        hasher.TotalSize.ShouldBe(42);
        hasher.BytesAppended.ShouldBe(0);
    }

    [Fact]
    public void Append_AfterFinish_ThrowsInvalidOperation()
    {
        using var hasher = ObjectHasher.Create(QuiltHashTypes.Sha256Chunked, 0);
        hasher.Finish();

        Should.Throw<InvalidOperationException>(() => hasher.Append([]));
        Should.Throw<InvalidOperationException>(hasher.Finish);
    }

    [Fact]
    public void Append_AfterDispose_ThrowsObjectDisposed()
    {
        var hasher = ObjectHasher.Create(QuiltHashTypes.Sha256, 1);
        hasher.Dispose();

        Should.Throw<ObjectDisposedException>(() => hasher.Append([1]));
    }

    [Fact]
    public void Compute_Sha256_IsLowercaseHex()
    {
        var value = ObjectHasher.Compute(QuiltHashTypes.Sha256, "ABC"u8).Value;

        value.ShouldBe(value.ToLowerInvariant());
        value.Length.ShouldBe(64);
    }

    [Fact]
    public async Task ComputeAsync_StreamLongerThanDeclared_ThrowsIntegrity()
    {
        using var stream = new MemoryStream(new byte[11]);

        (await Should.ThrowAsync<QuiltException>(() => ObjectHasher.ComputeAsync(QuiltHashTypes.Sha256Chunked, stream, 10, TestContext.Current.CancellationToken)))
            .Kind.ShouldBe(QuiltErrorKind.Integrity);
    }

    [Fact]
    public async Task ComputeAsync_StreamShorterThanDeclared_ThrowsIntegrity()
    {
        using var stream = new MemoryStream(new byte[9]);

        (await Should.ThrowAsync<QuiltException>(() => ObjectHasher.ComputeAsync(QuiltHashTypes.Crc64Nvme, stream, 10, TestContext.Current.CancellationToken)))
            .Kind.ShouldBe(QuiltErrorKind.Integrity);
    }

    [Fact]
    public async Task ComputeAsync_NullStream_Throws()
    {
        await Should.ThrowAsync<ArgumentNullException>(() => ObjectHasher.ComputeAsync(QuiltHashTypes.Sha256, null!, 0, TestContext.Current.CancellationToken));
    }

    private static IEnumerable<byte[]> Split(byte[] data, int[] cuts)
    {
        var offset = 0;
        foreach (var cut in cuts)
        {
            if (offset >= data.Length)
            {
                break;
            }

            var length = (int)((uint)cut % (uint)(data.Length - offset + 1));
            yield return data[offset..(offset + length)];
            offset += length;
        }

        yield return data[offset..];
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
