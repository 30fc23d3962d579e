#if QUILT_S3PROXY
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Quilt.Testing;

/// <summary>
/// A reverse proxy in front of moto on a loopback port, for tests that must see, refuse or withhold S3 requests
/// (<see cref="S3Gate"/>, the process tests' freezer). Each request is parsed into an <see cref="S3ProxyRequest"/> and
/// given to the handler, which forwards it (<see cref="ForwardAsync"/>), refuses it (<see cref="RefuseAsync"/>) or
/// holds it (<see cref="HoldAsync"/>). Path-style addressing only, which an endpoint override uses.
/// </summary>
public sealed class S3Proxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly string _upstreamUrl;
    private readonly Func<HttpContext, S3ProxyRequest, Task> _handle;
    private readonly CancellationTokenSource _stopping = new();

    private S3Proxy(WebApplication app, string upstreamUrl, Func<HttpContext, S3ProxyRequest, Task> handle)
    {
        _app = app;
        _handle = handle;
        _upstreamUrl = upstreamUrl.TrimEnd('/');
        _upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None })
        {
            Timeout = TimeSpan.FromMinutes(2),
        };
    }

    /// <summary>The proxy's endpoint, for <c>AWS_ENDPOINT_URL(_S3)</c>.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Cancelled when the proxy stops (ends held requests).</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Starts a proxy to <paramref name="upstreamUrl"/> that passes every request to <paramref name="handle"/>.</summary>
    public static async Task<S3Proxy> StartAsync(string upstreamUrl, Func<HttpContext, S3ProxyRequest, Task> handle)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var proxy = new S3Proxy(app, upstreamUrl, handle);
        app.Run(context => proxy._handle(context, Parse(context.Request)));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        proxy.Url = new Uri(address);
        return proxy;
    }

    /// <summary>Answers with an S3 error document (no body for a HEAD, as S3 answers).</summary>
    public static async Task RefuseAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message><RequestId>gate</RequestId></Error>");
        }
    }

    /// <summary>Sends the request to moto and relays its answer.</summary>
    public async Task ForwardAsync(HttpContext context)
    {
        using var response = await SendAsync(context, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        await RelayAsync(context, response);
    }

    /// <summary>Sends the request to moto (the body read first), cancelled by <paramref name="cancellationToken"/> only.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpContext context, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), _upstreamUrl + target);
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        if (body.Length > 0 || HttpMethods.IsPut(request.Method) || HttpMethods.IsPost(request.Method))
        {
            forward.Content = new ByteArrayContent(body.ToArray());
        }

        foreach (var (name, values) in request.Headers)
        {
            if (name is "Host" or "Content-Length" or "Transfer-Encoding" or "Connection" or "Expect")
            {
                continue;
            }

            if (!forward.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                forward.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        return await _upstream.SendAsync(forward, completion, cancellationToken);
    }

    /// <summary>Relays moto's answer: status, headers and (but for a HEAD) body.</summary>
    public static async Task RelayAsync(HttpContext context, HttpResponseMessage response)
    {
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (name is "Transfer-Encoding" or "Connection" or "Keep-Alive")
            {
                continue;
            }

            context.Response.Headers[name] = values.ToArray();
        }

        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    /// <summary>Never answers: waits until the client went away (killed) or the proxy stops, then drops the connection.</summary>
    public async Task HoldAsync(HttpContext context)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            await Task.Delay(Timeout.Infinite, either.Token);
        }
        catch (OperationCanceledException)
        {
        }

        context.Abort();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
        _stopping.Dispose();
    }

    private static S3ProxyRequest Parse(HttpRequest request)
    {
        var path = Uri.UnescapeDataString(request.Path.Value ?? "/").TrimStart('/');
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var key = SigV4.AccessKey(request.Headers.Authorization.ToString())
            ?? (request.Query["X-Amz-Credential"].ToString() is { Length: > 0 } credential ? credential.Split('/')[0] : null);
        var session = request.Headers["x-amz-security-token"].ToString() is { Length: > 0 } header ? header : request.Query["X-Amz-Security-Token"].ToString();
        return new S3ProxyRequest(
            request.Method,
            slash < 0 ? path : path[..slash],
            slash < 0 ? "" : path[(slash + 1)..],
            request.QueryString.Value ?? "",
            key,
            session.Length == 0 ? null : session,
            request.Headers.ContainsKey("x-amz-copy-source"));
    }
}
#endif
