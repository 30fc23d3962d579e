using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.AspNetCore;
using Quilt.Core.Errors;
using Quilt.Packaging.Contracts;
using QuiltMcp.Mcp.Internal;

namespace QuiltMcp.Mcp;

/// <summary>
/// Streamable HTTP at <c>/mcp</c>: the SDK's <c>MapMcp</c> endpoint in stateful mode (sessions, GET streams, DELETE,
/// protocol version checks, idle session expiry after <see cref="McpServeOptions.SessionIdleTimeout"/>) on Kestrel,
/// with quilt-mcp's own guards in front (<see cref="HttpGuards"/>: Host/Origin allow-lists, body limit), sessions bound
/// to the bearer token that opened them (<see cref="SessionTokenBinding"/>), and a tool call cancelled when its POST is
/// aborted (<see cref="AbortedCallCancellation"/>). The conformance test host uses the same wiring with other primitives.
/// </summary>
internal sealed class McpHttpHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private McpHttpHost(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>The URL of the MCP endpoint.</summary>
    public Uri Endpoint { get; }

    /// <summary>
    /// Starts quilt-mcp's server on <paramref name="options"/>' endpoint (port 0 picks a free port). Each request's tools
    /// get the operations <paramref name="operationsFactory"/> makes for the request's bearer token (direct mode ignores
    /// it); the session binding makes that the token the session started with.
    /// </summary>
    public static Task<McpHttpHost> StartAsync(Func<string?, IQuiltOperations> operationsFactory, McpServeOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operationsFactory);
        return StartAsync(
            options,
            mcp =>
            {
                mcp.Services.AddScoped(sp => operationsFactory(SessionTokenBinding.BearerToken(sp.GetRequiredService<IHttpContextAccessor>().HttpContext?.Request)));
                mcp.WithQuiltTools();
            },
            loggerFactory,
            timeProvider,
            cancellationToken);
    }

    /// <summary>
    /// Starts an MCP server with quilt-mcp's HTTP wiring and the primitives <paramref name="addPrimitives"/> registers
    /// (quilt-mcp's tools, or a test host's fixtures). Logs go to <paramref name="loggerFactory"/>, else to stderr.
    /// </summary>
    public static async Task<McpHttpHost> StartAsync(McpServeOptions options, Action<IMcpServerBuilder> addPrimitives, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(addPrimitives);
        var (address, port, hostName) = ParseEndpoint(options.HttpEndpoint ?? "127.0.0.1:0");
        var builder = WebApplication.CreateSlimBuilder();
        if (loggerFactory is null)
        {
            McpServe.ConfigureLogging(builder.Logging);
        }
        else
        {
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton(loggerFactory);
        }

        builder.WebHost.UseKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = HttpGuards.MaxBodyBytes;
            k.Listen(address, port);
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddAuthentication(SessionTokenBinding.SchemeName).AddScheme<AuthenticationSchemeOptions, SessionTokenBinding>(SessionTokenBinding.SchemeName, null);
        var mcp = McpServe.AddServer(builder.Services)
            .WithHttpTransport(t =>
            {
                // Stateful on purpose: sessions are what binds a catalog token, and what clients of 2025-11-25 and
                // earlier expect; the SDK marks the session options obsolete in favour of stateless serving.
#pragma warning disable MCP9006
                t.SessionMode = HttpServerSessionMode.Stateful;
                t.IdleTimeout = options.SessionIdleTimeout > TimeSpan.Zero
                    ? TimeSpan.FromTicks(Math.Min(options.SessionIdleTimeout.Ticks, TenMegahertzTimeProvider.MaxIdleTimeout.Ticks))
                    : TimeSpan.FromHours(2);
                t.TimeProvider = new TenMegahertzTimeProvider(timeProvider ?? TimeProvider.System);
#pragma warning restore MCP9006
            })
            .WithRequestFilters(f => f.AddCallToolFilter(AbortedCallCancellation.Filter));
        addPrimitives(mcp);

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("QuiltMcp.Mcp.Http");
        new HttpGuards(options, hostName, logger).Use(app);
        app.UseAuthentication();
        app.MapMcp("/mcp");
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new McpHttpHost(app, new Uri(new Uri(app.Urls.First()), "/mcp"));
    }

    /// <summary>Runs until cancelled.</summary>
    public static async Task WaitForShutdownAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    internal static (IPAddress Address, int Port, string Host) ParseEndpoint(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(endpoint[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw QuiltException.InvalidInput($"--http takes HOST:PORT, not '{endpoint}'.", "For example --http 127.0.0.1:8765.");
        }

        var host = endpoint[..colon].Trim('[', ']');
        var address = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var ip) ? ip
            : throw QuiltException.InvalidInput($"'{host}' is not an IP address or localhost.", "Bind to 127.0.0.1 (or another address of this machine).");
        return (address, port, host);
    }
}
