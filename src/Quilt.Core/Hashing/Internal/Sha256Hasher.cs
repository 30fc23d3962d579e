using System.Security.Cryptography;

namespace Quilt.Core.Hashing.Internal;

/// <summary>Legacy <c>SHA256</c>: plain SHA-256 of the whole object, lowercase hex.</summary>
internal sealed class Sha256Hasher : ObjectHasher
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public Sha256Hasher(long totalSize)
        : base(QuiltHashTypes.Sha256, totalSize)
    {
    }

    private protected override void AppendCore(ReadOnlySpan<byte> data) => _hash.AppendData(data);

    private protected override string FinishCore()
    {
        Span<byte> digest = stackalloc byte[32];
        _hash.GetHashAndReset(digest);
        return Convert.ToHexStringLower(digest);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
