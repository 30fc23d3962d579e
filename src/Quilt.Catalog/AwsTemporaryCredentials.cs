using System.Text;

namespace Quilt.Catalog;

/// <summary>
/// Temporary AWS credentials the registry hands to a catalog user (<c>/api/auth/get_credentials</c>). Printing the
/// value never shows the secret or the session token.
/// </summary>
/// <param name="AccessKeyId">The access key id.</param>
/// <param name="SecretAccessKey">The secret key. Never logged.</param>
/// <param name="SessionToken">The session token. Never logged.</param>
/// <param name="Expiration">When AWS stops accepting them.</param>
public sealed record AwsTemporaryCredentials(string AccessKeyId, string SecretAccessKey, string SessionToken, DateTimeOffset Expiration)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("AccessKeyId = ").Append(AccessKeyId.Length <= 4 ? "****" : string.Concat(AccessKeyId.AsSpan(0, 4), "****"));
        builder.Append(", SecretAccessKey = ****, SessionToken = ****, Expiration = ").Append(Expiration.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        return true;
    }
}
