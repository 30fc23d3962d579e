using System.Security.Cryptography;
using Quilt.Core.Hashing;

namespace Quilt.Core.Tests.Hashing;

public sealed class S3ChecksumConverterTests
{
    private const long MiB = 1024 * 1024;

    public static TheoryData<string, string> SinglePartRows()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in ExpectedVectors.Rows("s3_single_part_to_chunked"))
        {
            data.Add(row.GetProperty("s3_checksum").GetString()!, row.GetProperty("expected").GetString()!);
        }

        return data;
    }

    public static TheoryData<string, string> CompositeRows()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in ExpectedVectors.Rows("s3_mpu_composite_to_chunked"))
        {
            data.Add(row.GetProperty("s3_checksum").GetString()!, row.GetProperty("expected").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SinglePartRows))]
    public void FromFullObjectSha256_VectorChecksum_GivesExpectedValue(string s3Checksum, string expected)
    {
        // The empty-object digest only belongs to a 0-byte object; any other vector is a small object.
        var size = expected == Sha256Chunked.EmptyValue ? 0 : 13;

        var hash = S3ChecksumConverter.FromFullObjectSha256(s3Checksum, size);

        hash.ShouldBe(new QuiltHash(QuiltHashTypes.Sha256Chunked, expected));
        S3ChecksumConverter.FromS3Checksum(s3Checksum, S3ChecksumConverter.FullObject, size).ShouldBe(hash);
        S3ChecksumConverter.FromS3Checksum(s3Checksum, null, size).ShouldBe(hash);
    }

    [Theory]
    [MemberData(nameof(CompositeRows))]
    public void FromCompositeSha256_VectorChecksum_GivesExpectedValue(string s3Checksum, string expected)
    {
        var parts = int.Parse(s3Checksum[(s3Checksum.LastIndexOf('-') + 1)..]);
        var size = parts * ChunkLayout.DefaultChunkSize;

        S3ChecksumConverter.FromCompositeSha256(s3Checksum, size).ShouldBe(new QuiltHash(QuiltHashTypes.Sha256Chunked, expected));
        S3ChecksumConverter.FromS3Checksum(s3Checksum, S3ChecksumConverter.Composite, size).ShouldBe(new QuiltHash(QuiltHashTypes.Sha256Chunked, expected));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(5 * MiB)]
    [InlineData(8 * MiB - 1)]
    [InlineData(8 * MiB)]
    public void FromFullObjectSha256_OneChunkObject_EqualsChunkedHashOfData(long size)
    {
        var data = RandomBytes(size, seed: (int)size);
        var s3 = Convert.ToBase64String(SHA256.HashData(data));

        S3ChecksumConverter.FromFullObjectSha256(s3, size).ShouldBe(ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, data));
    }

    [Theory]
    [InlineData(8 * MiB + 1)]
    [InlineData(18 * MiB)]
    public void FromFullObjectSha256_MultiChunkObject_ReturnsNull(long size)
    {
        S3ChecksumConverter.FromFullObjectSha256("3/1gIbsr1bCvZ2KQgJ7DpTGR3YHH9wpLKGiKNiGCmG8=", size).ShouldBeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("abc")]
    public void FromFullObjectSha256_MalformedBase64_ReturnsNull(string value)
    {
        S3ChecksumConverter.FromFullObjectSha256(value, 10).ShouldBeNull();
    }

    [Fact]
    public void FromFullObjectSha256_EmptyDigestButNonEmptyObject_ReturnsNull()
    {
        S3ChecksumConverter.FromFullObjectSha256(Sha256Chunked.EmptyValue, 5).ShouldBeNull();
    }

    [Fact]
    public void FromFullObjectSha256_EmptyObjectWithOtherDigest_ReturnsNull()
    {
        S3ChecksumConverter.FromFullObjectSha256("3/1gIbsr1bCvZ2KQgJ7DpTGR3YHH9wpLKGiKNiGCmG8=", 0).ShouldBeNull();
    }

    [Fact]
    public void FromCompositeSha256_TwoPartZeroObjectWithQuiltLayout_EqualsChunkedHash()
    {
        // 8 MiB + 5 MiB of zeros uploaded in quilt chunks: S3's composite equals the quilt value.
        var composite = Sha256Chunked.CombinePartChecksums(
            ["La6x82CVtEsxhBCz9Oi12Yncx7sCPRQmxJLasKMFPnQ=", "wDbLt1U6kJ+LiHfURhkkMH8n7LZs/5KO7q/VacOIfik="]).Value;
        var size = 13 * MiB;

        var hash = S3ChecksumConverter.FromCompositeSha256(composite + "-2", size, [8 * MiB, 5 * MiB]);

        hash.ShouldBe(ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, new byte[size]));
    }

    [Fact]
    public void FromCompositeSha256_PartSizesNotQuiltLayout_ReturnsNull()
    {
        // The non-compliant 5 MiB + 8 MiB upload has the right part count but the wrong layout.
        S3ChecksumConverter.FromCompositeSha256("nlR6I2vcFqpTXrJSmMglmCYoByajfADbDQ6kESbPIlE=-2", 13 * MiB, [5 * MiB, 8 * MiB]).ShouldBeNull();
    }

    [Theory]
    [InlineData("MIsGKY+ykqN4CPj3gGGu4Gv03N7OWKWpsZqEf+OrGJs=-2", 8 * MiB)]
    [InlineData("MIsGKY+ykqN4CPj3gGGu4Gv03N7OWKWpsZqEf+OrGJs=-1", 0L)]
    [InlineData("MIsGKY+ykqN4CPj3gGGu4Gv03N7OWKWpsZqEf+OrGJs=-0", 0L)]
    [InlineData("MIsGKY+ykqN4CPj3gGGu4Gv03N7OWKWpsZqEf+OrGJs=-x", 8 * MiB)]
    [InlineData("MIsGKY+ykqN4CPj3gGGu4Gv03N7OWKWpsZqEf+OrGJs=-", 8 * MiB)]
    [InlineData("MIsGKY+ykqN4CPj3gGGu4Gv03N7OWKWpsZqEf+OrGJs=", 8 * MiB)]
    [InlineData("-1", 8 * MiB)]
    [InlineData("ASNFZ4mrze8BI0VniavN7w==-1", 8 * MiB)]
    [InlineData("%%%-1", 8 * MiB)]
    [InlineData("MIsGKY+ykqN4CPj3gGGu4Gv03N7OWKWpsZqEf+OrGJs=- 1", 8 * MiB)]
    [InlineData("MIsGKY+ykqN4CPj3gGGu4Gv03N7OWKWpsZqEf+OrGJs=-99999999999", 8 * MiB)]
    public void FromCompositeSha256_WrongCountOrMalformed_ReturnsNull(string value, long size)
    {
        S3ChecksumConverter.FromCompositeSha256(value, size).ShouldBeNull();
    }

    [Fact]
    public void FromCompositeSha256_PartSizesCountDiffersFromSuffix_ReturnsNull()
    {
        S3ChecksumConverter.FromCompositeSha256("MIsGKY+ykqN4CPj3gGGu4Gv03N7OWKWpsZqEf+OrGJs=-1", 8 * MiB, [4 * MiB, 4 * MiB]).ShouldBeNull();
    }

    [Fact]
    public void FromS3Checksum_CompositeTypeWithoutSuffix_UsesPartSizes()
    {
        const string value = "MIsGKY+ykqN4CPj3gGGu4Gv03N7OWKWpsZqEf+OrGJs=";

        S3ChecksumConverter.FromS3Checksum(value, "COMPOSITE", 8 * MiB, [8 * MiB])!.Value.ShouldBe(value);
        S3ChecksumConverter.FromS3Checksum(value, "composite", 8 * MiB, [8 * MiB])!.Value.ShouldBe(value);
        S3ChecksumConverter.FromS3Checksum(value, "COMPOSITE", 8 * MiB).ShouldBeNull();
        S3ChecksumConverter.FromS3Checksum(value, "COMPOSITE", 16 * MiB, [4 * MiB, 12 * MiB]).ShouldBeNull();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void FromS3Checksum_NoChecksum_ReturnsNull(string? value)
    {
        S3ChecksumConverter.FromS3Checksum(value, "FULL_OBJECT", 10).ShouldBeNull();
    }

    [Fact]
    public void FromS3Checksum_SuffixedValue_IsTreatedAsCompositeWhateverTheType()
    {
        S3ChecksumConverter.FromS3Checksum("MIsGKY+ykqN4CPj3gGGu4Gv03N7OWKWpsZqEf+OrGJs=-1", "FULL_OBJECT", 8 * MiB)!
            .Value.ShouldBe("MIsGKY+ykqN4CPj3gGGu4Gv03N7OWKWpsZqEf+OrGJs=");
    }

    [Fact]
    public void FromFullObjectSha256_NegativeSize_Throws()
    {
        Should.Throw<Quilt.Core.Errors.QuiltException>(() => S3ChecksumConverter.FromFullObjectSha256("x", -1))
            .Kind.ShouldBe(Quilt.Core.Errors.QuiltErrorKind.InvalidInput);
    }

    internal static byte[] RandomBytes(long size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
