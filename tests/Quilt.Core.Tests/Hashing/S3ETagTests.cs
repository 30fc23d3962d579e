using System.Text.Json;
using Quilt.Core.Hashing;
using Quilt.Testing;

namespace Quilt.Core.Tests.Hashing;

public sealed class S3ETagTests
{
    public static TheoryData<string, string> Vectors()
    {
        var data = new TheoryData<string, string>();
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Vectors, "expected.json")));
        foreach (var v in doc.RootElement.GetProperty("etag").EnumerateArray())
        {
            data.Add(v.GetProperty("input").GetProperty("file").GetString()!, v.GetProperty("expected").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Compute_VectorFile_MatchesS3ETag(string file, string expected) =>
        S3ETag.Compute(File.ReadAllBytes(Path.Combine(RepoPaths.Vectors, file))).ShouldBe(expected);

    [Fact]
    public void Compute_MultipartSize_HasPartSuffixAndMatchesPerPartMd5()
    {
        var data = new byte[(8 * 1024 * 1024) + 5];
        new Random(1).NextBytes(data);
        var part1 = System.Security.Cryptography.MD5.HashData(data.AsSpan(0, 8 * 1024 * 1024));
        var part2 = System.Security.Cryptography.MD5.HashData(data.AsSpan(8 * 1024 * 1024));
        var expected = "\"" + Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData([.. part1, .. part2])) + "-2\"";

        using var etag = new S3ETag(data.Length);
        etag.Append(data.AsSpan(0, 1000));
        etag.Append(data.AsSpan(1000));

        etag.Finish().ShouldBe(expected);
    }

    [Fact]
    public void Finish_FewerBytesThanDeclared_Throws()
    {
        using var etag = new S3ETag(10);
        etag.Append(new byte[3]);
        Should.Throw<InvalidOperationException>(() => etag.Finish());
    }

    [Fact]
    public void Append_MoreBytesThanDeclared_Throws()
    {
        using var etag = new S3ETag(2);
        Should.Throw<InvalidOperationException>(() => etag.Append(new byte[3]));
    }
}
