namespace Quilt.Core.Hashing;

/// <summary>An entry's object hash as stored in a manifest: <c>{"type": …, "value": …}</c>.</summary>
/// <param name="Type">The hash type name, case-sensitive (see <see cref="QuiltHashTypes"/>).</param>
/// <param name="Value">The value: base64 for <c>sha2-256-chunked</c> and <c>CRC64NVME</c>, lowercase hex for <c>SHA256</c>.</param>
public sealed record QuiltHash(string Type, string Value);
