using Quilt.Core.Errors;
using Quilt.Core.Hashing;

namespace Quilt.Core.Tests.Hashing;

public sealed class Sha256ChunkedTests
{
    public static TheoryData<string[], string> DigestRows()
    {
        var data = new TheoryData<string[], string>();
        foreach (var row in ExpectedVectors.Rows("combine_parts").Where(r => r.TryGetProperty("part_digests_b64", out _)))
        {
            data.Add(row.GetProperty("part_digests_b64").EnumerateArray().Select(d => d.GetString()!).ToArray(), row.GetProperty("expected").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DigestRows))]
    public void CombinePartChecksums_VectorDigests_GivesExpectedValue(string[] partChecksums, string expected)
    {
        Sha256Chunked.CombinePartChecksums(partChecksums).ShouldBe(new QuiltHash(QuiltHashTypes.Sha256Chunked, expected));
    }

    [Theory]
    [MemberData(nameof(DigestRows))]
    public void CombinePartDigests_VectorDigests_GivesExpectedValue(string[] partChecksums, string expected)
    {
        Sha256Chunked.CombinePartDigests(partChecksums.Select(c => (ReadOnlyMemory<byte>)Convert.FromBase64String(c))).Value.ShouldBe(expected);
    }

    [Theory]
    [InlineData("ASNFZ4mrze8BI0VniavN7w==")]
    [InlineData("not base64")]
    [InlineData("")]
    public void CombinePartChecksums_NotA32ByteDigest_ThrowsInvalidInputNamingThePart(string bad)
    {
        var ex = Should.Throw<QuiltException>(() => Sha256Chunked.CombinePartChecksums(["La6x82CVtEsxhBCz9Oi12Yncx7sCPRQmxJLasKMFPnQ=", bad]));

        ex.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        ex.Message.ShouldContain("Part 2");
        ex.Hint.ShouldNotBeNull();
    }

    [Fact]
    public void CombinePartDigests_ShortDigest_ThrowsInvalidInput()
    {
        Should.Throw<QuiltException>(() => Sha256Chunked.CombinePartDigests([new byte[31]])).Kind.ShouldBe(QuiltErrorKind.InvalidInput);
    }

    [Fact]
    public void EmptyValue_IsTheChunkedHashOfNothing()
    {
        ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, []).Value.ShouldBe(Sha256Chunked.EmptyValue);
    }
}
