using Amazon.Runtime;

namespace Quilt.Storage.Internal;

/// <summary>
/// Gives the SDK one HttpClient whose connection pool is sized to the store's concurrency (so requests queue in our
/// gate, not in the socket pool), optionally wrapped (fault injection, fakes).
/// </summary>
internal sealed class StoreHttpClientFactory : HttpClientFactory, IDisposable
{
    private readonly HttpClient _client;

    public StoreHttpClientFactory(int maxConnections, TimeSpan timeout, Func<HttpMessageHandler, HttpMessageHandler>? wrapper)
    {
        HttpMessageHandler handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(50),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        };
        if (wrapper is not null)
        {
            handler = wrapper(handler);
        }

        _client = new HttpClient(handler, disposeHandler: true) { Timeout = timeout };
    }

    /// <inheritdoc/>
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => _client;

    /// <inheritdoc/>
    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    /// <inheritdoc/>
    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();
}
