using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Quilt.Core.Errors;
using Quilt.Packaging.Contracts;
using QuiltMcp.Mcp.Internal;

namespace QuiltMcp.Mcp;

/// <summary>
/// Streamable HTTP at <c>/mcp</c> on Kestrel with the SDK's core transport: POST carries client messages (answers stream
/// back as SSE), GET opens the server-to-client stream, DELETE ends a session. <c>Host</c> and <c>Origin</c> are checked
/// against loopback names (plus what the operator allows) so a web page cannot reach the server through DNS rebinding.
/// A POST whose request is still running when the client aborts it cancels that request (see
/// <see cref="AbandonedRequests"/>). Refusals are JSON-RPC errors with an HTTP status: 400 (bad JSON, a batch, a missing
/// session header, an unsupported protocol version), 403, 404 (unknown session), 405, 406, 409 (a second GET stream on
/// a session), 413 (body over <see cref="JsonRpcBodyReader.MaxBodyBytes"/>) and 415.
/// </summary>
internal sealed class McpHttpHost : IAsyncDisposable
{
    private const string SessionHeader = "Mcp-Session-Id";
    private const string ProtocolHeader = "MCP-Protocol-Version";
    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "::1", "[::1]"];

    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly WebApplication _app;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Func<string?, IQuiltOperations> _operationsFactory;
    private readonly HashSet<string> _allowedHosts;
    private readonly HashSet<string> _allowedOrigins;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _idleTimeout;
    private Task _sweeper = Task.CompletedTask;

    private McpHttpHost(WebApplication app, ILoggerFactory loggerFactory, Func<string?, IQuiltOperations> operationsFactory, McpServeOptions options, string boundHost, TimeProvider time)
    {
        _app = app;
        _time = time;
        _idleTimeout = options.SessionIdleTimeout > TimeSpan.Zero ? options.SessionIdleTimeout : TimeSpan.FromHours(2);
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("QuiltMcp.Mcp.Http");
        _operationsFactory = operationsFactory;
        _allowedHosts = new HashSet<string>([.. LoopbackNames, boundHost, .. options.AllowedHosts], StringComparer.OrdinalIgnoreCase);
        _allowedOrigins = new HashSet<string>(options.AllowedOrigins.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The URL of the MCP endpoint.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>
    /// Starts listening on <paramref name="options"/>' endpoint (port 0 picks a free port). Each session gets the
    /// operations <paramref name="operationsFactory"/> makes for the bearer token of its <c>initialize</c> request
    /// (direct mode ignores it), and every later request of the session must carry the same token. Sessions idle for
    /// longer than <see cref="McpServeOptions.SessionIdleTimeout"/> are ended.
    /// </summary>
    public static async Task<McpHttpHost> StartAsync(Func<string?, IQuiltOperations> operationsFactory, McpServeOptions options, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (address, port, hostName) = ParseEndpoint(options.HttpEndpoint ?? "127.0.0.1:0");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.UseKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = JsonRpcBodyReader.MaxBodyBytes;
            k.Listen(address, port);
        });
        var app = builder.Build();
        var host = new McpHttpHost(app, loggerFactory, operationsFactory, options, hostName, timeProvider ?? TimeProvider.System);
        app.Map("/mcp", host.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        host._sweeper = host.SweepPeriodicallyAsync();
        var bound = app.Urls.First();
        host.Endpoint = new Uri(new Uri(bound), "/mcp");
        return host;
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
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _sweeper.ConfigureAwait(false);
        foreach (var session in _sessions.Values)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }

        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <summary>Ends the sessions that have been idle for longer than the timeout at <paramref name="now"/>; returns how many.</summary>
    internal async Task<int> EndIdleSessionsAsync(DateTimeOffset now)
    {
        var ended = 0;
        foreach (var (id, session) in _sessions)
        {
            if (session.IsIdleSince(now - _idleTimeout) && _sessions.TryRemove(id, out _))
            {
                ended++;
                await session.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (ended > 0)
        {
            HttpHostLog.IdleSessionsEnded(_logger, ended, _idleTimeout.TotalMinutes);
        }

        return ended;
    }

    private async Task SweepPeriodicallyAsync()
    {
        var period = TimeSpan.FromTicks(Math.Clamp(_idleTimeout.Ticks / 4, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromMinutes(1).Ticks));
        using var timer = new PeriodicTimer(period, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                await EndIdleSessionsAsync(_time.GetUtcNow()).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
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

    private async Task HandleAsync(HttpContext context)
    {
        try
        {
            await HandleCoreAsync(context).ConfigureAwait(false);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await WriteErrorAsync(context, e.StatusCode, $"Bad Request: {e.Message}").ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException && !context.Response.HasStarted)
        {
            HttpHostLog.RequestFailed(_logger, e);
            await WriteErrorAsync(context, StatusCodes.Status500InternalServerError, "Internal error; the server's log (stderr) has the details.", (int)McpErrorCode.InternalError).ConfigureAwait(false);
        }
    }

    private async Task HandleCoreAsync(HttpContext context)
    {
        if (!IsAllowed(context.Request))
        {
            await WriteErrorAsync(context, StatusCodes.Status403Forbidden, "Forbidden: Host or Origin not allowed.").ConfigureAwait(false);
            return;
        }

        var method = context.Request.Method;
        if (HttpMethods.IsPost(method))
        {
            await HandlePostAsync(context).ConfigureAwait(false);
        }
        else if (HttpMethods.IsGet(method))
        {
            await HandleGetAsync(context).ConfigureAwait(false);
        }
        else if (HttpMethods.IsDelete(method))
        {
            await HandleDeleteAsync(context).ConfigureAwait(false);
        }
        else
        {
            context.Response.Headers.Allow = "GET, POST, DELETE";
            await WriteErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "Method not allowed.").ConfigureAwait(false);
        }
    }

    private async Task HandlePostAsync(HttpContext context)
    {
        var accept = context.Request.Headers.Accept.ToString();
        if (!accept.Contains("application/json", StringComparison.OrdinalIgnoreCase) || !accept.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            await WriteErrorAsync(context, StatusCodes.Status406NotAcceptable, "Not Acceptable: Accept must include application/json and text/event-stream.").ConfigureAwait(false);
            return;
        }

        if (context.Request.ContentType is not { } contentType || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            await WriteErrorAsync(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type: Content-Type must be application/json.").ConfigureAwait(false);
            return;
        }

        var body = await JsonRpcBodyReader.ReadAsync(context.Request, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        if (body.Message is not { } message)
        {
            await WriteErrorAsync(context, body.Status, body.Error!, body.Code).ConfigureAwait(false);
            return;
        }

        Session? session;
        var started = false;
        var sessionId = context.Request.Headers[SessionHeader].ToString();
        if (string.IsNullOrEmpty(sessionId))
        {
            if (message is not JsonRpcRequest { Method: RequestMethods.Initialize })
            {
                await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "Bad Request: Mcp-Session-Id header is required.").ConfigureAwait(false);
                return;
            }

            session = StartSession(BearerToken(context.Request));
            started = true;
        }
        else if (!_sessions.TryGetValue(sessionId, out session))
        {
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, "Session not found.").ConfigureAwait(false);
            return;
        }
        else if (!session.Accepts(BearerToken(context.Request)))
        {
            await WriteErrorAsync(context, StatusCodes.Status403Forbidden, "Forbidden: the Authorization token differs from the one this session started with.").ConfigureAwait(false);
            return;
        }
        else if (!ProtocolVersionOk(context.Request))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "Bad Request: unsupported MCP-Protocol-Version.").ConfigureAwait(false);
            return;
        }

        context.Response.Headers[SessionHeader] = session.Id;
        using (session.Busy(_time))
        {
            await PostToSessionAsync(context, session, message, started).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Hands <paramref name="message"/> to the session's transport, which streams the answer. When that does not end
    /// normally (the client aborted the POST, or the connection broke) a request's answer can never arrive, so the
    /// request is cancelled; an <c>initialize</c> that did not complete closes the session it opened (the client never
    /// learned its id, and initialize must not be cancelled).
    /// </summary>
    private async Task PostToSessionAsync(HttpContext context, Session session, JsonRpcMessage message, bool startedSession)
    {
        var completed = false;
        try
        {
            var wrote = await session.Transport.HandlePostRequestAsync(
                message,
                context.Response.Body,
                _ =>
                {
                    context.Response.StatusCode = StatusCodes.Status200OK;
                    context.Response.ContentType = "text/event-stream";
                    context.Response.Headers.CacheControl = "no-cache,no-store";
                    return ValueTask.CompletedTask;
                },
                context.RequestAborted).ConfigureAwait(false);
            completed = true;
            if (!wrote)
            {
                context.Response.StatusCode = StatusCodes.Status202Accepted;
            }
        }
        finally
        {
            if (!completed && message is JsonRpcRequest request)
            {
                if (request.Method == RequestMethods.Initialize)
                {
                    if (startedSession && _sessions.TryRemove(session.Id, out _))
                    {
                        HttpHostLog.InitializeAbandoned(_logger);
                        await session.DisposeAsync().ConfigureAwait(false);
                    }
                }
                else
                {
                    await AbandonedRequests.CancelAsync(session.Transport, request, _logger).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task HandleGetAsync(HttpContext context)
    {
        if (!context.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            await WriteErrorAsync(context, StatusCodes.Status406NotAcceptable, "Not Acceptable: Accept must include text/event-stream.").ConfigureAwait(false);
            return;
        }

        var session = await RequireSessionAsync(context).ConfigureAwait(false);
        if (session is null)
        {
            return;
        }

        // The SDK serves one GET stream per session, ever; a second one would fail after the 200 was sent.
        if (!session.TryStartGetStream())
        {
            await WriteErrorAsync(context, StatusCodes.Status409Conflict, "Conflict: this session already has (or had) its GET stream; the server opens one per session. Keep that stream, or start a new session.").ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache,no-store";
        context.Response.Headers[SessionHeader] = session.Id;
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        using var busy = session.Busy(_time);
        try
        {
            await session.Transport.HandleGetRequestAsync(context.Response.Body, both.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task HandleDeleteAsync(HttpContext context)
    {
        var session = await RequireSessionAsync(context).ConfigureAwait(false);
        if (session is not null && _sessions.TryRemove(session.Id, out _))
        {
            await session.DisposeAsync().ConfigureAwait(false);
            context.Response.StatusCode = StatusCodes.Status200OK;
        }
    }

    private async Task<Session?> RequireSessionAsync(HttpContext context)
    {
        var sessionId = context.Request.Headers[SessionHeader].ToString();
        if (string.IsNullOrEmpty(sessionId))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "Bad Request: Mcp-Session-Id header is required.").ConfigureAwait(false);
            return null;
        }

        if (!_sessions.TryGetValue(sessionId, out var session))
        {
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, "Session not found.").ConfigureAwait(false);
            return null;
        }

        if (!session.Accepts(BearerToken(context.Request)))
        {
            await WriteErrorAsync(context, StatusCodes.Status403Forbidden, "Forbidden: the Authorization token differs from the one this session started with.").ConfigureAwait(false);
            return null;
        }

        return session;
    }

    private Session StartSession(string? token)
    {
        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
        var services = McpServe.CreateServices(_operationsFactory(token), _loggerFactory);
        var transport = new StreamableHttpServerTransport(_loggerFactory) { SessionId = id };
        var options = McpServe.CreateOptions(services);
        options.Filters.Request.CallToolFilters.Add(AbandonedRequests.LogCancelledToolCalls(_logger));
        var server = McpServer.Create(transport, options, _loggerFactory, services);
        var run = server.RunAsync(_stopping.Token);
        var session = new Session(id, TokenDigest(token), transport, server, services, run, _time.GetUtcNow());
        _sessions[id] = session;
        return session;
    }

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }

    /// <summary>Sessions remember a digest of their token, never the token.</summary>
    private static string TokenDigest(string? token) =>
        token is null ? "" : Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    private bool IsAllowed(HttpRequest request)
    {
        var host = request.Host.Host;
        if (string.IsNullOrEmpty(host) || !_allowedHosts.Contains(host))
        {
            return false;
        }

        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }

        if (_allowedOrigins.Contains(origin.TrimEnd('/')))
        {
            return true;
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out var uri) && LoopbackNames.Contains(uri.Host, StringComparer.OrdinalIgnoreCase);
    }

    private static bool ProtocolVersionOk(HttpRequest request)
    {
        var version = request.Headers[ProtocolHeader].ToString();
        return string.IsNullOrEmpty(version) || version is "2024-11-05" or "2025-03-26" or "2025-06-18" or "2025-11-25";
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string message, int code = -32000)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var body = JsonSerializer.Serialize(new { jsonrpc = "2.0", error = new { code, message }, id = (string?)null });
        await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private sealed record Session(string Id, string TokenDigest, StreamableHttpServerTransport Transport, McpServer Server, ServiceProvider Services, Task Run, DateTimeOffset Started) : IAsyncDisposable
    {
        private int _getStream;
        private int _busy;
        private long _lastActivityTicks = Started.UtcTicks;

        /// <summary>Marks the session in use until disposed: a request being answered or an open GET stream.</summary>
        public IDisposable Busy(TimeProvider time)
        {
            Interlocked.Increment(ref _busy);
            Interlocked.Exchange(ref _lastActivityTicks, time.GetUtcNow().UtcTicks);
            return new Activity(this, time);
        }

        /// <summary>Not in use, and last used before <paramref name="cutoff"/>.</summary>
        public bool IsIdleSince(DateTimeOffset cutoff) =>
            Volatile.Read(ref _busy) == 0 && Interlocked.Read(ref _lastActivityTicks) < cutoff.UtcTicks;

        /// <summary>True for the session's first GET stream only.</summary>
        public bool TryStartGetStream() => Interlocked.Exchange(ref _getStream, 1) == 0;

        public bool Accepts(string? token) =>
            CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(McpHttpHost.TokenDigest(token)), System.Text.Encoding.ASCII.GetBytes(TokenDigest));

        private sealed class Activity(Session session, TimeProvider time) : IDisposable
        {
            private int _disposed;

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _disposed, 1) == 0)
                {
                    Interlocked.Exchange(ref session._lastActivityTicks, time.GetUtcNow().UtcTicks);
                    Interlocked.Decrement(ref session._busy);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Transport.DisposeAsync().ConfigureAwait(false);
            await Server.DisposeAsync().ConfigureAwait(false);
            await Services.DisposeAsync().ConfigureAwait(false);
        }
    }
}
