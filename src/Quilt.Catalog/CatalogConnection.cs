using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Quilt.Catalog.Internal;
using Quilt.Core.Errors;
using Quilt.Packaging.Contracts;
using Quilt.Storage;

namespace Quilt.Catalog;

/// <summary>
/// What catalog mode shares across users in one process: the HTTP client, the registry address, the credentials cache
/// (per token) and the S3 stores acting for each token (each signs every request with that token's current temporary
/// credentials, renewed as they near expiry). Users get their own
/// <see cref="IQuiltOperations"/> from <see cref="ForToken"/> or from the factory <see cref="CreateFactory"/>, which the
/// MCP HTTP server calls once per request with that request's bearer token.
/// </summary>
public sealed partial class CatalogConnection : IDisposable
{
    private readonly bool _ownsHttp;
    private readonly Func<CatalogUserCredentials, IObjectStore> _storeFactory;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, StoreSlot> _stores = new(StringComparer.Ordinal);
    private Task<Uri>? _registry;
    private CatalogCredentialsProvider? _credentials;

    /// <summary>Creates the shared catalog-mode state.</summary>
    /// <param name="options">Where the catalog is, and tunables.</param>
    /// <param name="storeFactory">
    /// Makes the S3 store of one token from that token's credentials source (called once per token, not per credential
    /// set); the store must ask <see cref="CatalogUserCredentials.GetAsync"/> for the credentials of every request. By
    /// default an <see cref="S3ObjectStore"/> for <see cref="CatalogOptions.S3ServiceUrl"/> and
    /// <see cref="CatalogOptions.Region"/> whose credentials follow the source.
    /// </param>
    /// <param name="httpClient">The client for registry requests (no default headers are set on it); one is created when null.</param>
    /// <param name="loggerFactory">Logging; nothing is logged when null. Tokens and secrets are never logged.</param>
    /// <param name="clock">The clock (credential expiry, upload URL expiry).</param>
    public CatalogConnection(
        CatalogOptions options,
        Func<CatalogUserCredentials, IObjectStore>? storeFactory = null,
        HttpClient? httpClient = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _ownsHttp = httpClient is null;
        Http = httpClient ?? new HttpClient { Timeout = options.HttpTimeout };
        _storeFactory = storeFactory ?? (credentials => DefaultStoreFactory(options, credentials));
        _loggers = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger("Quilt.Catalog");
        Clock = clock ?? TimeProvider.System;
    }

    /// <summary>A token's S3 store is forgotten after this long unused (its credentials would have been renewed meanwhile).</summary>
    public static readonly TimeSpan StoreIdleLimit = TimeSpan.FromHours(1);

    /// <summary>The configuration.</summary>
    public CatalogOptions Options { get; }

    /// <summary>The clock in use.</summary>
    public TimeProvider Clock { get; }

    internal HttpClient Http { get; }

    internal ILoggerFactory Loggers => _loggers;

    /// <summary>
    /// The bearer token of an HTTP <c>Authorization</c> header (<c>Bearer &lt;token&gt;</c>, scheme case-insensitive), or
    /// null when the header is absent or uses another scheme.
    /// </summary>
    public static string? BearerToken(string? authorizationHeader)
    {
        if (string.IsNullOrWhiteSpace(authorizationHeader))
        {
            return null;
        }

        var text = authorizationHeader.Trim();
        const string scheme = "Bearer ";
        if (!text.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = text[scheme.Length..].Trim();
        return token.Length == 0 ? null : token;
    }

    /// <summary>Operations acting for the holder of <paramref name="bearerToken"/> (a blank token fails every call with AccessDenied).</summary>
    public IQuiltOperations ForToken(string? bearerToken) =>
        new CatalogQuiltOperations(this, bearerToken, _loggers.CreateLogger<CatalogQuiltOperations>());

    /// <summary>
    /// A factory for per-request operations: the MCP HTTP server passes each request's bearer token (see
    /// <see cref="BearerToken"/>). With <paramref name="fallbackToConfiguredToken"/> (stdio, CLI) a missing token means
    /// <see cref="CatalogOptions.Token"/>; over HTTP leave it false so that a caller without a token never acts as the
    /// server's own user.
    /// </summary>
    public Func<string?, IQuiltOperations> CreateFactory(bool fallbackToConfiguredToken = false) =>
        token => ForToken(string.IsNullOrWhiteSpace(token) && fallbackToConfiguredToken ? Options.Token : token);

    /// <summary>
    /// The registry API's URL: <see cref="CatalogOptions.RegistryUrl"/> when set, else the <c>registryUrl</c> member of
    /// the catalog's <c>{CatalogUrl}/config.json</c> (how quilt3 configures itself from a catalog URL). Read once; a
    /// failed read is retried on the next call.
    /// </summary>
    public Task<Uri> GetRegistryUrlAsync(CancellationToken cancellationToken = default)
    {
        Task<Uri> task;
        lock (_gate)
        {
            if (_registry is null || _registry.IsFaulted || _registry.IsCanceled)
            {
                _registry = ResolveRegistryUrlAsync();
            }

            task = _registry;
        }

        return task.WaitAsync(cancellationToken);
    }

    /// <summary>The credentials provider for the registry (created once the registry URL is known).</summary>
    public async Task<CatalogCredentialsProvider> GetCredentialsProviderAsync(CancellationToken cancellationToken = default)
    {
        var registry = await GetRegistryUrlAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            return _credentials ??= new CatalogCredentialsProvider(Http, registry, Clock, _loggers.CreateLogger<CatalogCredentialsProvider>());
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (_, slot) in _stores)
        {
            if (slot.Store.IsValueCreated)
            {
                (slot.Store.Value as IDisposable)?.Dispose();
            }
        }

        _stores.Clear();
        if (_ownsHttp)
        {
            Http.Dispose();
        }
    }

    /// <summary>
    /// The S3 store acting for <paramref name="bearerToken"/>: one per token (never shared between tokens), made on first
    /// use and kept while the token is used; it signs every request with the token's current credentials. Stores unused
    /// for <see cref="StoreIdleLimit"/> are forgotten.
    /// </summary>
    internal async Task<IObjectStore> GetStoreAsync(string bearerToken, CancellationToken cancellationToken)
    {
        var provider = await GetCredentialsProviderAsync(cancellationToken).ConfigureAwait(false);
        var key = TokenFingerprint.Of(bearerToken);
        var now = Clock.GetUtcNow();
        foreach (var (other, entry) in _stores)
        {
            // Not disposed: an operation that started earlier may still hold it.
            if (other != key && now - entry.LastUsed > StoreIdleLimit)
            {
                _stores.TryRemove(new KeyValuePair<string, StoreSlot>(other, entry));
            }
        }

        var slot = _stores.GetOrAdd(key, _ => new StoreSlot(new Lazy<IObjectStore>(() => _storeFactory(new CatalogUserCredentials(provider, bearerToken, Clock)))));
        slot.LastUsed = now;
        try
        {
            return slot.Store.Value;
        }
        catch (Exception)
        {
            // The store could not be made (bad endpoint configuration, say): the next call tries again.
            _stores.TryRemove(new KeyValuePair<string, StoreSlot>(key, slot));
            throw;
        }
    }

    /// <summary>An <see cref="S3ObjectStore"/> signing with the user's current temporary credentials (never the process's own AWS configuration).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "The credentials live as long as the store; they hold no unmanaged resource.")]
    private static S3ObjectStore DefaultStoreFactory(CatalogOptions options, CatalogUserCredentials credentials) => new(new S3StoreOptions
    {
        Credentials = new CatalogAwsCredentials(credentials),
        ServiceUrl = options.S3ServiceUrl,
        Region = options.Region,
        MaxConcurrency = Math.Max(1, options.Concurrency),
    });

    private async Task<Uri> ResolveRegistryUrlAsync()
    {
        await Task.Yield();
        if (CatalogOptions.ParseHttpUrl(Options.RegistryUrl, CatalogOptions.RegistryUrlVariable) is { } registry)
        {
            return registry;
        }

        var catalog = CatalogOptions.ParseHttpUrl(Options.CatalogUrl, CatalogOptions.CatalogUrlVariable)
            ?? throw QuiltException.InvalidInput(
                "Catalog mode needs the catalog's address.",
                $"Set {CatalogOptions.CatalogUrlVariable} (or {CatalogOptions.RegistryUrlVariable}).");
        var configUrl = new Uri(catalog.AbsoluteUri.TrimEnd('/') + "/config.json");
        const string hint = $"Set {CatalogOptions.RegistryUrlVariable} to the registry API's address.";
        string text;
        try
        {
            using var response = await Http.GetAsync(configUrl, CancellationToken.None).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                throw status >= 500
                    ? QuiltException.Transient($"The Quilt catalog at {catalog} failed to serve config.json (HTTP {status}).")
                    : QuiltException.NotFound($"The Quilt catalog at {catalog} has no config.json (HTTP {status}) to find its registry in.", hint);
            }

            text = await response.Content.ReadAsStringAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new QuiltException(QuiltErrorKind.Transient, $"Could not reach the Quilt catalog at {catalog} ({e.HttpRequestError}).", hint, e);
        }
        catch (OperationCanceledException e)
        {
            throw new QuiltException(QuiltErrorKind.Transient, $"The Quilt catalog at {catalog} did not serve config.json in time.", hint, e);
        }

        string? value;
        try
        {
            using var json = JsonDocument.Parse(text);
            value = GraphQLJson.String(json.RootElement, "registryUrl");
        }
        catch (JsonException e)
        {
            throw new QuiltException(QuiltErrorKind.NotFound, $"The Quilt catalog's {configUrl} is not JSON.", hint, e);
        }

        if (string.IsNullOrWhiteSpace(value)
            || !Uri.TryCreate(catalog, value.Trim(), out var resolved)
            || (resolved.Scheme != Uri.UriSchemeHttps && resolved.Scheme != Uri.UriSchemeHttp))
        {
            throw QuiltException.NotFound($"The Quilt catalog's {configUrl} names no usable registryUrl.", hint);
        }

        LogRegistry(_logger, resolved);
        return resolved;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Quilt registry from the catalog's config.json: {Registry}")]
    private static partial void LogRegistry(ILogger logger, Uri registry);

    private sealed class StoreSlot(Lazy<IObjectStore> store)
    {
        public Lazy<IObjectStore> Store { get; } = store;

        public DateTimeOffset LastUsed { get; set; }
    }
}
