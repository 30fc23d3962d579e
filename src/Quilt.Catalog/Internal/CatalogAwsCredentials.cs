using System.Globalization;
using Amazon.Runtime;
using Quilt.Core.Errors;

namespace Quilt.Catalog.Internal;

/// <summary>
/// AWS SDK credentials that follow a catalog user's temporary credentials: the SDK keeps a set until the moment the
/// <see cref="CatalogCredentialsProvider"/> would renew it (5 minutes before expiry, or half its lifetime when that is
/// shorter), then asks for the current set. Expiry is judged by the connection's clock, not the SDK's. When S3 refuses
/// a set (the store calls <see cref="ClearCredentials"/>), the provider forgets it too, so the next request signs with
/// new credentials.
/// </summary>
internal sealed class CatalogAwsCredentials : RefreshingAWSCredentials
{
    private readonly CatalogUserCredentials _user;
    private readonly TimeProvider _clock;
    private AwsTemporaryCredentials? _current;

    public CatalogAwsCredentials(CatalogUserCredentials user)
        : base(new SdkClock(user.Clock))
    {
        _user = user;
        _clock = user.Clock;

        // The provider's renewal time is the SDK's expiry: renew in line (an error reaches the request), no extra buffer.
        PreemptExpiryTime = TimeSpan.Zero;
        ExpirationBuffer = TimeSpan.Zero;
    }

    /// <summary>Forgets the set in use, here and in the provider's cache, so that the next request fetches a new one.</summary>
    public override void ClearCredentials()
    {
        // The provider first: once the SDK's set is cleared a concurrent request regenerates at once, and it must not
        // be handed the refused set again from the provider's cache.
        var rejected = Interlocked.Exchange(ref _current, null);
        if (rejected is not null)
        {
            _user.Reject(rejected);
        }

        base.ClearCredentials();
    }

    /// <inheritdoc />
    public override string ToString() => "catalog user credentials (" + _user + ")";

    /// <inheritdoc />
    protected override async Task<CredentialsRefreshState> GenerateNewCredentialsAsync()
    {
        // Not tied to one request's cancellation: every request of the store waits for this set.
        var (credentials, renewAt) = await _user.GetCurrentAsync(CancellationToken.None).ConfigureAwait(false);
        var now = _clock.GetUtcNow();
        var until = renewAt > now ? renewAt : credentials.Expiration;
        if (until <= now)
        {
            throw QuiltException.AccessDenied(
                "The Quilt registry handed out AWS credentials that have already expired (at " + credentials.Expiration.ToString("O", CultureInfo.InvariantCulture) + ").",
                "Check this server's clock, then log in to the catalog again and retry.");
        }

        Volatile.Write(ref _current, credentials);
        return new CredentialsRefreshState(
            new ImmutableCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken),
            until.UtcDateTime,
            new SdkClock(_clock));
    }

    /// <summary>The SDK's synchronous path (presigning); the provider answers from its cache unless a renewal is due.</summary>
    protected override CredentialsRefreshState GenerateNewCredentials() => GenerateNewCredentialsAsync().GetAwaiter().GetResult();

    /// <summary>The connection's clock, as the SDK wants it.</summary>
    private sealed class SdkClock(TimeProvider clock) : Amazon.Util.Internal.ITimeProvider
    {
        public DateTime CorrectedUtcNow => clock.GetUtcNow().UtcDateTime;
    }
}
