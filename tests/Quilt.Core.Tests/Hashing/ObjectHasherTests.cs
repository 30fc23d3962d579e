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

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(8 * MiB)]
    [InlineData((8 * MiB) + 1)]
    [InlineData(18 * MiB)]
    public async Task ComputeChunkedAsync_Size_EqualsSequentialHash(int size)
    {
        var data = S3ChecksumConverterTests.RandomBytes(size, seed: size);
        var requested = new List<(long Offset, int Length)>();

        var parallel = await ObjectHasher.ComputeChunkedAsync(
            size,
            async (offset, length, ct) =>
            {
                lock (requested)
                {
                    requested.Add((offset, length));
                }

                await Task.Yield();
                return data.AsMemory((int)offset, length);
            },
            maxParallelism: 4,
            TestContext.Current.CancellationToken);

        parallel.ShouldBe(ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, data));
        requested.OrderBy(r => r.Offset).ShouldBe(ChunkLayout.Parts(size).Select(p => (p.Offset, (int)p.Length)));
    }

    [Fact]
    public async Task ComputeChunkedAsync_ManyChunks_NeverExceedsParallelismBound()
    {
        var size = (8 * MiB * 6) + 5;
        var data = new byte[size];
        var inFlight = 0;
        var maxSeen = 0;

        await ObjectHasher.ComputeChunkedAsync(
            size,
            async (offset, length, ct) =>
            {
                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref maxSeen, now);
                await Task.Delay(5, ct);
                Interlocked.Decrement(ref inFlight);
                return data.AsMemory((int)offset, length);
            },
            maxParallelism: 2,
            TestContext.Current.CancellationToken);

        maxSeen.ShouldBeInRange(1, 2);
    }

    [Fact]
    public async Task ComputeChunkedAsync_ShortChunk_ThrowsIntegrity()
    {
        var data = new byte[10];

        var ex = await Should.ThrowAsync<QuiltException>(() => ObjectHasher.ComputeChunkedAsync(
            data.Length,
            (offset, length, _) => Task.FromResult<ReadOnlyMemory<byte>>(data.AsMemory(0, length - 1)),
            1,
            TestContext.Current.CancellationToken));

        ex.Kind.ShouldBe(QuiltErrorKind.Integrity);
        ex.Message.ShouldContain("returned 9 bytes instead of 10");
    }

    [Fact]
    public async Task ComputeChunkedAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => ObjectHasher.ComputeChunkedAsync(
            100,
            (offset, length, _) => Task.FromResult<ReadOnlyMemory<byte>>(new byte[length]),
            1,
            cts.Token));
    }

    [Fact]
    public async Task ComputeChunkedAsync_BadArguments_Throw()
    {
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => ObjectHasher.ComputeChunkedAsync(1, (_, l, _) => Task.FromResult<ReadOnlyMemory<byte>>(new byte[l]), 0));
        await Should.ThrowAsync<ArgumentNullException>(() => ObjectHasher.ComputeChunkedAsync(1, null!, 1));
        (await Should.ThrowAsync<QuiltException>(() => ObjectHasher.ComputeChunkedAsync(-1, (_, l, _) => Task.FromResult<ReadOnlyMemory<byte>>(new byte[l]), 1)))
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
