using System.Security.Cryptography;
using Quilt.Core.Hashing;

namespace Quilt.Core.Tests.Hashing;

public sealed class ObjectHasherVectorTests
{
    public static TheoryData<string, string, string> ObjectHashRows()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var row in ExpectedVectors.Rows("object_hash"))
        {
            data.Add(row.GetProperty("type").GetString()!, row.GetProperty("input").GetRawText(), row.GetProperty("expected").GetString()!);
        }

        return data;
    }

    public static TheoryData<string, string> ChunkedRows()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in ExpectedVectors.Rows("object_hash").Where(r => r.GetProperty("type").GetString() == QuiltHashTypes.Sha256Chunked))
        {
            data.Add(row.GetProperty("input").GetRawText(), row.GetProperty("expected").GetString()!);
        }

        return data;
    }

    public static TheoryData<string, string> FullObjectSha256Rows()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in ExpectedVectors.Rows("s3_full_object_sha256_b64"))
        {
            data.Add(row.GetProperty("input").GetRawText(), row.GetProperty("expected").GetString()!);
        }

        return data;
    }

    public static TheoryData<string, string> PartTextRows()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in ExpectedVectors.Rows("combine_parts").Where(r => r.TryGetProperty("part_texts", out _)))
        {
            data.Add(row.GetProperty("type").GetString()!, row.GetRawText());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ObjectHashRows))]
    public void Compute_VectorInput_GivesExpectedValue(string hashType, string input, string expected)
    {
        var bytes = ExpectedVectors.BuildInput(input);

        var hash = ObjectHasher.Compute(hashType, bytes);

        hash.ShouldBe(new QuiltHash(hashType, expected));
    }

    [Theory]
    [MemberData(nameof(ObjectHashRows))]
    public async Task ComputeAsync_VectorInputAsStream_GivesExpectedValue(string hashType, string input, string expected)
    {
        var bytes = ExpectedVectors.BuildInput(input);
        using var stream = new MemoryStream(bytes);

        var hash = await ObjectHasher.ComputeAsync(hashType, stream, bytes.Length, TestContext.Current.CancellationToken);

        hash.Value.ShouldBe(expected);
    }

    [Theory]
    [MemberData(nameof(ChunkedRows))]
    public async Task ComputeChunkedAsync_VectorInput_GivesExpectedValue(string input, string expected)
    {
        var bytes = ExpectedVectors.BuildInput(input);

        var hash = await ObjectHasher.ComputeChunkedAsync(
            bytes.Length,
            (offset, buffer, _) =>
            {
                var n = (int)Math.Min(buffer.Length, bytes.Length - offset);
                bytes.AsSpan((int)offset, n).CopyTo(buffer.Span);
                return ValueTask.FromResult(n);
            },
            maxParallelism: 3,
            bufferSize: 1 << 20,
            TestContext.Current.CancellationToken);

        hash.ShouldBe(new QuiltHash(QuiltHashTypes.Sha256Chunked, expected));
    }

    [Theory]
    [MemberData(nameof(FullObjectSha256Rows))]
    public void FullObjectSha256Vector_MatchesPlainSha256OfInput(string input, string expected)
    {
        // These are what S3 reports as ChecksumSHA256; the converter tests rely on them being plain SHA-256.
        Convert.ToBase64String(SHA256.HashData(ExpectedVectors.BuildInput(input))).ShouldBe(expected);
    }

    [Theory]
    [MemberData(nameof(PartTextRows))]
    public void CombineParts_TextParts_GivesExpectedValue(string hashType, string rowJson)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(rowJson);
        var parts = doc.RootElement.GetProperty("part_texts").EnumerateArray().Select(p => System.Text.Encoding.UTF8.GetBytes(p.GetString()!)).ToArray();
        var expected = doc.RootElement.GetProperty("expected").GetString()!;

        string actual;
        if (hashType == QuiltHashTypes.Crc64Nvme)
        {
            var crc = parts.Aggregate(0UL, (acc, part) => Crc64Nvme.Combine(acc, Crc64Nvme.Compute(part), part.Length));
            actual = Crc64Nvme.ToBase64(crc);
        }
        else
        {
            actual = Sha256Chunked.CombinePartDigests(parts.Select(p => (ReadOnlyMemory<byte>)SHA256.HashData(p))).Value;
        }

        actual.ShouldBe(expected);
    }
}
