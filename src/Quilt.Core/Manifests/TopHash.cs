using System.Security.Cryptography;
using Quilt.Core.Errors;
using Quilt.Core.Json.Internal;
using Quilt.Core.Manifests.Internal;

namespace Quilt.Core.Manifests;

/// <summary>
/// The top hash (quilt-format §3.1): SHA-256 over the canonical JSON of the header followed by, for each file
/// entry in walk order, <c>{"hash", "logical_key", "meta", "size"}</c>. It names the revision, so it must match
/// quilt3 bit for bit; physical keys and directory metadata are not part of it.
/// </summary>
public static class TopHash
{
    private const int FlushThreshold = 64 * 1024;

    /// <summary>
    /// Computes the top hash as 64 lowercase hex characters. Streams: each serialization goes straight into
    /// the hash, so the cost is linear in the manifest size.
    /// </summary>
    /// <exception cref="QuiltException">
    /// Kind <see cref="QuiltErrorKind.Integrity"/> when an entry read from a manifest has a null or missing
    /// hash or size ("PackageEntry missing hash and/or size", as quilt3 says).
    /// </exception>
    public static string Compute(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new ByteBuffer(FlushThreshold + 4096);
        JsonEmitter.WriteCanonical(buffer, manifest.Header);
        foreach (var entry in manifest.Entries)
        {
            if (entry.MissingHashOrSize)
            {
                throw QuiltException.Integrity(
                    $"PackageEntry missing hash and/or size: '{entry.LogicalKey}'.",
                    "The manifest was never built; hash the objects and rebuild the package before computing its top hash.");
            }

            // Member names in code-point order: hash < logical_key < meta < size.
            buffer.Append("{\"hash\":"u8);
            EntryFields.WriteHash(buffer, entry, canonical: true);

            buffer.Append(",\"logical_key\":"u8);
            JsonEmitter.WriteCanonicalString(buffer, entry.LogicalKey);
            buffer.Append(",\"meta\":"u8);
            JsonEmitter.WriteCanonical(buffer, entry.MetaValue);
            buffer.Append(",\"size\":"u8);
            EntryFields.WriteSize(buffer, entry, canonical: true);

            buffer.Append((byte)'}');
            if (buffer.Length >= FlushThreshold)
            {
                sha.AppendData(buffer.WrittenSpan);
                buffer.Clear();
            }
        }

        sha.AppendData(buffer.WrittenSpan);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
