using Quilt.Catalog.Internal;

namespace Quilt.Catalog;

/// <summary>
/// The temporary AWS credentials of one catalog user (one bearer token), always the current set: every call goes
/// through the <see cref="CatalogCredentialsProvider"/>'s cache for that token, which renews them before they expire.
/// A catalog-mode S3 store is made from one of these (see <see cref="CatalogConnection"/>'s store factory) rather than
/// from one set of credentials, so that an operation that outlives a set keeps working; two tokens never share one.
/// The token is never exposed, logged nor printed.
/// </summary>
public sealed class CatalogUserCredentials
{
    private readonly CatalogCredentialsProvider _provider;
    private readonly string _token;

    internal CatalogUserCredentials(CatalogCredentialsProvider provider, string bearerToken, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(bearerToken);
        ArgumentNullException.ThrowIfNull(clock);
        _provider = provider;
        _token = bearerToken.Trim();
        Clock = clock;
        Fingerprint = TokenFingerprint.Of(_token);
    }

    /// <summary>The clock the credentials' expiry is judged by (the connection's).</summary>
    public TimeProvider Clock { get; }

    /// <summary>SHA-256 of the token (hex): tells users apart without showing the token.</summary>
    public string Fingerprint { get; }

    /// <summary>The current credentials (renewed before they expire; one registry request per token however many callers wait).</summary>
    public Task<AwsTemporaryCredentials> GetAsync(CancellationToken cancellationToken = default) =>
        _provider.GetCredentialsAsync(_token, cancellationToken);

    /// <summary>
    /// Reports that S3 refused <paramref name="rejected"/> (expired or revoked before their stated expiry): the cached set
    /// is forgotten, if it is still that one, so that the next <see cref="GetAsync"/> fetches new credentials.
    /// </summary>
    public void Reject(AwsTemporaryCredentials rejected) => _provider.Invalidate(_token, rejected);

    /// <inheritdoc />
    public override string ToString() => $"CatalogUserCredentials {{ token sha256 {Fingerprint[..12]}… }}";

    /// <summary>The current credentials and when the cache renews them.</summary>
    internal Task<(AwsTemporaryCredentials Credentials, DateTimeOffset RenewAt)> GetCurrentAsync(CancellationToken cancellationToken) =>
        _provider.GetCurrentAsync(_token, cancellationToken);
}
