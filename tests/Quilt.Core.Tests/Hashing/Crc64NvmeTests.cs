using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Quilt.Core.Hashing;

namespace Quilt.Core.Tests.Hashing;

public sealed class Crc64NvmeTests
{
    [Fact]
    public void Compute_CheckString_GivesCatalogueCheckValue()
    {
        Crc64Nvme.Compute("123456789"u8).ShouldBe(0xAE8B14860A799888UL);
    }

    [Fact]
    public void Compute_VectorInteger_GivesExpectedIntegerAndBytes()
    {
        foreach (var row in ExpectedVectors.Rows("crc64nvme_integer"))
        {
            var crc = Crc64Nvme.Compute(ExpectedVectors.BuildInput(row.GetProperty("input").GetRawText()));

            crc.ShouldBe(row.GetProperty("expected_int").GetUInt64());
            Convert.ToHexStringLower(Convert.FromBase64String(Crc64Nvme.ToBase64(crc))).ShouldBe(row.GetProperty("expected_bytes_hex").GetString());
        }
    }

    [Fact]
    public void Compute_Empty_IsZero()
    {
        Crc64Nvme.Compute([]).ShouldBe(0UL);
        Crc64Nvme.ToBase64(0).ShouldBe("AAAAAAAAAAA=");
    }

    [Fact]
    public void UpdateRegister_RandomData_MatchesBitwiseReference()
    {
        Prop.ForAll<byte[], ulong>((data, start) =>
            Crc64Nvme.UpdateRegister(start, data) == Crc64Nvme.UpdateRegisterBitwise(start, data)).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Combine_AnySplit_EqualsCrcOfConcatenation()
    {
        Prop.ForAll<byte[], byte[]>((first, second) =>
        {
            var whole = first.Concat(second).ToArray();
            return Crc64Nvme.Combine(Crc64Nvme.Compute(first), Crc64Nvme.Compute(second), second.Length) == Crc64Nvme.Compute(whole)
                && Crc64Nvme.Append(Crc64Nvme.Compute(first), second) == Crc64Nvme.Compute(whole);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Combine_LongZeroRun_EqualsDirectComputation()
    {
        // 3 MiB of zeros after "Hello": the O(log n) shift must equal feeding the zeros one by one.
        var zeros = new byte[3 * 1024 * 1024 + 7];
        var head = Encoding.UTF8.GetBytes("Hello");
        var whole = head.Concat(zeros).ToArray();

        Crc64Nvme.Combine(Crc64Nvme.Compute(head), Crc64Nvme.Compute(zeros), zeros.Length).ShouldBe(Crc64Nvme.Compute(whole));
    }

    [Fact]
    public void Combine_EmptySecond_ReturnsFirst()
    {
        Crc64Nvme.Combine(0x1234UL, 0, 0).ShouldBe(0x1234UL);
    }

    [Fact]
    public void Combine_NegativeLength_Throws()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => Crc64Nvme.Combine(1, 2, -1));
    }
}
