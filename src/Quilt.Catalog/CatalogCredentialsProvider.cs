using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Quilt.Catalog.Internal;
using Quilt.Core.Errors;

namespace Quilt.Catalog;

/// <summary>
/// Temporary AWS credentials for catalog users, from <c>GET {registry}/api/auth/get_credentials</c> with the user's
/// bearer token. Credentials are cached per token (keyed by the token's SHA-256, never the token) until shortly before
/// they expire; concurrent callers with one token share one in-flight request; callers with different tokens never
/// share anything. Thread-safe.
/// </summary>
public sealed partial class CatalogCredentialsProvider
{
    /// <summary>Credentials are renewed this long before they expire (or at half their lifetime when that is shorter).</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private const int PruneThreshold = 256;

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    /// <summary>Creates a provider for the registry at <paramref name="registryUrl"/>.</summary>
    public CatalogCredentialsProvider(HttpClient httpClient, Uri registryUrl, TimeProvider? clock = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(registryUrl);
        _http = httpClient;
        _endpoint = new Uri(registryUrl.AbsoluteUri.TrimEnd('/') + "/api/auth/get_credentials");
        _clock = clock ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The credentials endpoint.</summary>
    public Uri Endpoint => _endpoint;

    /// <summary>Number of tokens with a cache slot (for tests and diagnostics).</summary>
    internal int CachedTokenCount => _slots.Count;

    /// <summary>
    /// The credentials for <paramref name="bearerToken"/>: cached ones while they have more than the refresh margin left,
    /// else fresh ones (one request per token however many callers wait). Cancelling one caller does not cancel the
    /// request others share.
    /// </summary>
    public async Task<AwsTemporaryCredentials> GetCredentialsAsync(string bearerToken, CancellationToken cancellationToken = default) =>
        (await GetCurrentAsync(bearerToken, cancellationToken).ConfigureAwait(false)).Credentials;

    /// <summary>Forgets the cached credentials of a token (after AWS refused them, for example).</summary>
    public void Invalidate(string bearerToken)
    {
        if (!string.IsNullOrWhiteSpace(bearerToken))
        {
            _slots.TryRemove(TokenFingerprint.Of(bearerToken), out _);
        }
    }

    /// <summary>
    /// Forgets the cached credentials of a token only while they are still <paramref name="rejected"/> (same access key
    /// and session token): when many requests signed with one set are refused at once, the first renews it and the
    /// others leave the renewed set alone. A fetch already under way is left to finish.
    /// </summary>
    public void Invalidate(string bearerToken, AwsTemporaryCredentials rejected)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        if (string.IsNullOrWhiteSpace(bearerToken) || !_slots.TryGetValue(TokenFingerprint.Of(bearerToken), out var slot))
        {
            return;
        }

        lock (slot.Gate)
        {
            if (slot.Value is { } cached
                && string.Equals(cached.Credentials.AccessKeyId, rejected.AccessKeyId, StringComparison.Ordinal)
                && string.Equals(cached.Credentials.SessionToken, rejected.SessionToken, StringComparison.Ordinal))
            {
                slot.Value = null;
                LogInvalidated(_logger);
            }
        }
    }

    /// <summary>The current credentials of a token and when this cache renews them (its clock).</summary>
    internal async Task<(AwsTemporaryCredentials Credentials, DateTimeOffset RenewAt)> GetCurrentAsync(string bearerToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(bearerToken))
        {
            throw CatalogGraphQLClient.MissingToken();
        }

        var key = TokenFingerprint.Of(bearerToken);
        var slot = _slots.GetOrAdd(key, static _ => new Slot());
        if (_slots.Count > PruneThreshold)
        {
            Prune(key);
        }

        Task<Fetched> task;
        lock (slot.Gate)
        {
            if (slot.Value is { } cached && IsFresh(cached))
            {
                return (cached.Credentials, cached.RenewAt);
            }

            if (slot.Pending is null || slot.Pending.IsCompleted)
            {
                slot.Pending = FetchIntoAsync(slot, bearerToken.Trim());
            }

            task = slot.Pending;
        }

        var fetched = await task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return (fetched.Credentials, fetched.RenewAt);
    }

    private bool IsFresh(Fetched fetched) => _clock.GetUtcNow() < fetched.RenewAt;

    private void Prune(string keep)
    {
        foreach (var (key, slot) in _slots)
        {
            if (key == keep)
            {
                continue;
            }

            lock (slot.Gate)
            {
                var idle = slot.Pending is null || slot.Pending.IsCompleted;
                if (idle && (slot.Value is null || slot.Value.Credentials.Expiration <= _clock.GetUtcNow()))
                {
                    _slots.TryRemove(new KeyValuePair<string, Slot>(key, slot));
                }
            }
        }
    }

    private async Task<Fetched> FetchIntoAsync(Slot slot, string token)
    {
        var fetched = await FetchAsync(token).ConfigureAwait(false);
        lock (slot.Gate)
        {
            slot.Value = fetched;
        }

        return fetched;
    }

    private async Task<Fetched> FetchAsync(string token)
    {
        // Runs detached from any one caller's cancellation: other callers may be waiting on it.
        await Task.Yield();
        var at = _clock.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Get, _endpoint);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException e)
        {
            throw QuiltException.Transient($"The Quilt registry at {_endpoint} did not hand out credentials in time.", e);
        }
        catch (HttpRequestException e)
        {
            throw QuiltException.Transient($"Could not reach the Quilt registry at {_endpoint} ({e.HttpRequestError}).", e);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            LogFetched(_logger, status);
            switch (status)
            {
                case 401 or 403:
                    throw CatalogGraphQLClient.TokenRejected("the registry's credentials endpoint", status);
                case 404:
                    throw QuiltException.NotFound($"The Quilt registry has no credentials endpoint at {_endpoint} (HTTP 404).", "Check QUILT_REGISTRY_URL (or QUILT_CATALOG_URL).");
                case 429:
                    throw QuiltException.Throttled("The Quilt registry throttled the credentials request (HTTP 429).");
                case >= 500:
                    throw QuiltException.Transient($"The Quilt registry failed to hand out credentials (HTTP {status}).");
                case >= 300:
                    throw QuiltException.InvalidInput($"The Quilt registry refused to hand out credentials (HTTP {status}).", "Check QUILT_REGISTRY_URL.");
            }

            var text = await response.Content.ReadAsStringAsync(CancellationToken.None).ConfigureAwait(false);
            return new Fetched(Parse(text), at);
        }
    }

    private static AwsTemporaryCredentials Parse(string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            var expiration = GraphQLJson.Time(root, "Expiration")
                ?? throw GraphQLJson.Malformed("the credentials have no valid 'Expiration'");
            return new AwsTemporaryCredentials(
                GraphQLJson.RequiredString(root, "AccessKeyId", "the credentials"),
                GraphQLJson.RequiredString(root, "SecretAccessKey", "the credentials"),
                GraphQLJson.RequiredString(root, "SessionToken", "the credentials"),
                expiration);
        }
        catch (JsonException e)
        {
            throw QuiltException.Transient("The Quilt registry's credentials answer was not JSON.", e);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Quilt registry credentials request: HTTP {Status}")]
    private static partial void LogFetched(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Quilt registry credentials refused by S3 were forgotten; the next request fetches new ones")]
    private static partial void LogInvalidated(ILogger logger);

    private sealed record Fetched(AwsTemporaryCredentials Credentials, DateTimeOffset At)
    {
        /// <summary>The refresh margin before expiry, or half the lifetime when that is shorter.</summary>
        public DateTimeOffset RenewAt
        {
            get
            {
                var lifetime = Credentials.Expiration - At;
                var margin = lifetime > TimeSpan.Zero && lifetime / 2 < RefreshMargin ? lifetime / 2 : RefreshMargin;
                return Credentials.Expiration - margin;
            }
        }
    }

    private sealed class Slot
    {
        public readonly Lock Gate = new();

        public Task<Fetched>? Pending;

        public Fetched? Value;
    }
}
