using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;

namespace QuiltMcp.Mcp.Internal;

/// <summary>
/// The checks quilt-mcp makes before a request reaches the SDK's <c>MapMcp</c> endpoint, where the SDK has none:
/// <c>Host</c> and <c>Origin</c> against loopback names plus what the operator allows (so a web page cannot reach the
/// server through DNS rebinding), the request body limit (413, also for chunked bodies), and JSON-RPC error bodies for
/// the refusals ASP.NET Core routing would answer with an empty body (405, 415). Every refusal is a JSON-RPC error.
/// </summary>
internal sealed class HttpGuards
{
    /// <summary>Largest POST body accepted: far above any tool call (package metadata is capped at 1 MB).</summary>
    public const long MaxBodyBytes = 8 * 1024 * 1024;

    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "::1", "[::1]"];

    private readonly HashSet<string> _allowedHosts;
    private readonly HashSet<string> _allowedOrigins;
    private readonly ILogger _logger;

    public HttpGuards(McpServeOptions options, string boundHost, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _allowedHosts = new HashSet<string>([.. LoopbackNames, boundHost, .. options.AllowedHosts], StringComparer.OrdinalIgnoreCase);
        _allowedOrigins = new HashSet<string>(options.AllowedOrigins.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);
        _logger = logger;
    }

    /// <summary>Puts the guards in front of everything <paramref name="app"/> serves.</summary>
    public void Use(IApplicationBuilder app) => app.Use(next => context => GuardAsync(context, next));

    /// <summary>Writes a JSON-RPC error (id null) with an HTTP status.</summary>
    public static async Task WriteErrorAsync(HttpContext context, int status, string message, int code = -32000)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var body = JsonSerializer.Serialize(new { jsonrpc = "2.0", error = new { code, message }, id = (string?)null });
        await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task GuardAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (!IsAllowed(request))
        {
            await WriteErrorAsync(context, StatusCodes.Status403Forbidden, "Forbidden: Host or Origin not allowed.").ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsPost(request.Method) && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsDelete(request.Method))
        {
            context.Response.Headers.Allow = "GET, POST, DELETE";
            await WriteErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "Method not allowed.").ConfigureAwait(false);
            return;
        }

        if (HttpMethods.IsPost(request.Method))
        {
            if (request.ContentLength > MaxBodyBytes)
            {
                await WriteTooLargeAsync(context).ConfigureAwait(false);
                return;
            }

            if (request.ContentType is not { } contentType || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            {
                await WriteErrorAsync(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type: Content-Type must be application/json.").ConfigureAwait(false);
                return;
            }
        }

        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            // Kestrel's own refusals while the SDK reads the body: over the size limit (a chunked body), or malformed.
            if (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                await WriteTooLargeAsync(context).ConfigureAwait(false);
            }
            else
            {
                await WriteErrorAsync(context, e.StatusCode, $"Bad Request: {e.Message}").ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException && !context.Response.HasStarted)
        {
            HttpHostLog.RequestFailed(_logger, e);
            await WriteErrorAsync(context, StatusCodes.Status500InternalServerError, "Internal error; the server's log (stderr) has the details.", (int)McpErrorCode.InternalError).ConfigureAwait(false);
        }
    }

    private static Task WriteTooLargeAsync(HttpContext context) =>
        WriteErrorAsync(
            context,
            StatusCodes.Status413PayloadTooLarge,
            $"Payload Too Large: a POST body may hold at most {MaxBodyBytes} bytes. Send less in one call (for many objects use package_create_from_s3 with a prefix and patterns instead of a file list).",
            (int)McpErrorCode.InvalidRequest);

    private bool IsAllowed(HttpRequest request)
    {
        var host = request.Host.Host;
        if (string.IsNullOrEmpty(host) || !_allowedHosts.Contains(host))
        {
            return false;
        }

        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin) || _allowedOrigins.Contains(origin.TrimEnd('/')))
        {
            return true;
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out var uri) && LoopbackNames.Contains(uri.Host, StringComparer.OrdinalIgnoreCase);
    }
}
