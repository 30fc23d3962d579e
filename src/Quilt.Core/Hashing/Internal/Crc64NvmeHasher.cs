namespace Quilt.Core.Hashing.Internal;

/// <summary><c>CRC64NVME</c>: CRC-64/NVME of the whole object, 8 big-endian bytes in base64.</summary>
internal sealed class Crc64NvmeHasher : ObjectHasher
{
    private ulong _crc;

    public Crc64NvmeHasher(long totalSize)
        : base(QuiltHashTypes.Crc64Nvme, totalSize)
    {
    }

    private protected override void AppendCore(ReadOnlySpan<byte> data) => _crc = Crc64Nvme.Append(_crc, data);

    private protected override string FinishCore() => Crc64Nvme.ToBase64(_crc);
}
