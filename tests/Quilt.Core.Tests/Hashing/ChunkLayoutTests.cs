using Quilt.Core.Errors;
using Quilt.Core.Hashing;

namespace Quilt.Core.Tests.Hashing;

public sealed class ChunkLayoutTests
{
    private const long MiB = 1024 * 1024;

    public static TheoryData<long, long, int> ChunkSizeRows()
    {
        var data = new TheoryData<long, long, int>();
        foreach (var row in ExpectedVectors.Rows("chunksize"))
        {
            var parts = row.TryGetProperty("expected_parts", out var p) ? p.GetInt32() : -1;
            data.Add(row.GetProperty("size").GetInt64(), row.GetProperty("expected").GetInt64(), parts);
        }

        return data;
    }

    public static TheoryData<long, bool> IsMpuRows()
    {
        var data = new TheoryData<long, bool>();
        foreach (var row in ExpectedVectors.Rows("is_mpu"))
        {
            data.Add(row.GetProperty("size").GetInt64(), row.GetProperty("expected").GetBoolean());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ChunkSizeRows))]
    public void ChunkSize_VectorSize_GivesExpectedChunk(long size, long expectedChunk, int expectedParts)
    {
        ChunkLayout.ChunkSize(size).ShouldBe(expectedChunk);
        if (expectedParts >= 0)
        {
            ChunkLayout.PartCount(size).ShouldBe(expectedParts);
        }
    }

    [Theory]
    [MemberData(nameof(IsMpuRows))]
    public void IsMultipart_VectorSize_GivesExpectedAnswer(long size, bool expected)
    {
        ChunkLayout.IsMultipart(size).ShouldBe(expected);
    }

    [Theory]
    [InlineData(0L, 0)]
    [InlineData(1L, 1)]
    [InlineData(8 * MiB, 1)]
    [InlineData(8 * MiB + 1, 2)]
    [InlineData(18 * MiB, 3)]
    [InlineData(83_886_080_000L, 10_000)]
    [InlineData(83_886_080_001L, 5_001)]
    [InlineData(5L * 1024 * 1024 * MiB, 5_120)]
    public void PartCount_Size_GivesCeilingOfSizeOverChunk(long size, int expected)
    {
        ChunkLayout.PartCount(size).ShouldBe(expected);
    }

    [Fact]
    public void ChunkSize_FiveTiB_IsOneGiB()
    {
        ChunkLayout.ChunkSize(5L * 1024 * 1024 * MiB).ShouldBe(1024 * MiB);
    }

    [Fact]
    public void ChunkSize_LargestLong_StaysWithinPartLimit()
    {
        var chunk = ChunkLayout.ChunkSize(long.MaxValue);

        chunk.ShouldBeGreaterThan(0);
        ChunkLayout.PartCount(long.MaxValue).ShouldBeLessThanOrEqualTo(ChunkLayout.MaxParts);
        ChunkLayout.PartCount(long.MaxValue).ShouldBeGreaterThan(ChunkLayout.MaxParts / 2);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(8 * MiB - 1)]
    [InlineData(8 * MiB)]
    [InlineData(18 * MiB)]
    [InlineData(83_886_080_001L)]
    public void Parts_Size_CoverTheObjectContiguouslyWithChunkSizedParts(long size)
    {
        var parts = ChunkLayout.Parts(size).ToList();
        var chunk = ChunkLayout.ChunkSize(size);

        parts.Count.ShouldBe(ChunkLayout.PartCount(size));
        parts.Sum(p => p.Length).ShouldBe(size);
        for (var i = 0; i < parts.Count; i++)
        {
            parts[i].Offset.ShouldBe(i * chunk);
            if (i < parts.Count - 1)
            {
                parts[i].Length.ShouldBe(chunk);
            }
            else
            {
                parts[i].Length.ShouldBeInRange(1, chunk);
            }
        }
    }

    [Fact]
    public void MatchesLayout_QuiltLayout_IsTrueAndOthersFalse()
    {
        ChunkLayout.MatchesLayout(18 * MiB, [8 * MiB, 8 * MiB, 2 * MiB]).ShouldBeTrue();
        ChunkLayout.MatchesLayout(0, []).ShouldBeTrue();
        ChunkLayout.MatchesLayout(18 * MiB, [6 * MiB, 6 * MiB, 6 * MiB]).ShouldBeFalse();
        ChunkLayout.MatchesLayout(18 * MiB, [8 * MiB, 10 * MiB]).ShouldBeFalse();
        ChunkLayout.MatchesLayout(18 * MiB, [8 * MiB, 8 * MiB, 2 * MiB, 0]).ShouldBeFalse();
    }

    [Fact]
    public void Methods_NegativeSize_ThrowInvalidInput()
    {
        Should.Throw<QuiltException>(() => ChunkLayout.ChunkSize(-1)).Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        Should.Throw<QuiltException>(() => ChunkLayout.PartCount(-1)).Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        Should.Throw<QuiltException>(() => ChunkLayout.IsMultipart(-5)).Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        Should.Throw<QuiltException>(() => ChunkLayout.Parts(long.MinValue)).Kind.ShouldBe(QuiltErrorKind.InvalidInput);
    }
}
