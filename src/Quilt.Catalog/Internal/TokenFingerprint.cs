using System.Security.Cryptography;
using System.Text;

namespace Quilt.Catalog.Internal;

/// <summary>A cache key for a bearer token: SHA-256 of it, so the token itself is never kept as a key nor shown.</summary>
internal static class TokenFingerprint
{
    public static string Of(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token.Trim())));
}
