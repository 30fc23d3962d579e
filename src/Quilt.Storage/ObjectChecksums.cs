namespace Quilt.Storage;

/// <summary>Checksums a store holds for an object, base64 as S3 returns them (a composite value keeps its <c>-N</c> suffix).</summary>
/// <param name="Sha256">x-amz-checksum-sha256.</param>
/// <param name="Crc64Nvme">x-amz-checksum-crc64nvme.</param>
/// <param name="Crc32">x-amz-checksum-crc32.</param>
/// <param name="Crc32C">x-amz-checksum-crc32c.</param>
/// <param name="Sha1">x-amz-checksum-sha1.</param>
/// <param name="ChecksumType"><c>FULL_OBJECT</c> or <c>COMPOSITE</c> when reported.</param>
public sealed record ObjectChecksums(
    string? Sha256 = null,
    string? Crc64Nvme = null,
    string? Crc32 = null,
    string? Crc32C = null,
    string? Sha1 = null,
    string? ChecksumType = null)
{
    /// <summary>No checksums.</summary>
    public static readonly ObjectChecksums None = new();
}
