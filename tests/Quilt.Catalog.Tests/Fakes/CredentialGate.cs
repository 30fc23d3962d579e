using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Quilt.Catalog.Tests.Fakes;

/// <summary>
/// A reverse proxy in front of moto that judges temporary credentials as AWS would (moto accepts any): it records the
/// access key and session token of every S3 request and refuses the sessions a test calls expired or revoked with
/// <c>400 ExpiredToken</c> (a HEAD answer has no body, as on AWS). After each request it runs a test hook (to move a
/// clock between two requests). Path-style addressing only, which an endpoint override uses.
/// </summary>
public sealed class CredentialGate : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly string _upstreamUrl;

    private CredentialGate(WebApplication app, string upstreamUrl)
    {
        _app = app;
        _upstreamUrl = upstreamUrl.TrimEnd('/');
        _upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None });
    }

    /// <summary>The gate's endpoint (the S3 endpoint catalog mode is configured with).</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Every request that reached the gate, refused or not, in arrival order.</summary>
    public ConcurrentQueue<GateCall> Calls { get; } = new();

    /// <summary>Whether a session token is refused as expired; none by default.</summary>
    public Func<string?, bool> Refuses { get; set; } = _ => false;

    /// <summary>Runs after each request was judged (and, when allowed, answered by moto).</summary>
    public Action<GateCall>? After { get; set; }

    public static async Task<CredentialGate> StartAsync(string upstreamUrl)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var gate = new CredentialGate(app, upstreamUrl);
        app.Run(gate.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        gate.Url = new Uri(address);
        return gate;
    }

    public async ValueTask DisposeAsync()
    {
        _upstream.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static string? AccessKey(string authorization)
    {
        const string marker = "Credential=";
        var start = authorization.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += marker.Length;
        var end = authorization.IndexOf('/', start);
        return end > start ? authorization[start..end] : null;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        var parts = path.TrimStart('/').Split('/', 2);
        var operation = (request.Method, parts.Length > 1 && parts[1].Length > 0) switch
        {
            ("HEAD", true) => "HeadObject",
            ("GET", false) when request.Query.ContainsKey("versioning") => "GetBucketVersioning",
            ("GET", false) when request.Query.ContainsKey("versions") => "ListObjectVersions",
            ("GET", false) => "ListObjects",
            ("GET", true) => "GetObject",
            var (method, _) => method,
        };
        var session = request.Headers["x-amz-security-token"].ToString();
        var call = new GateCall(operation, parts[0], AccessKey(request.Headers.Authorization.ToString()), session.Length == 0 ? null : session, Refuses(session));
        Calls.Enqueue(call);
        try
        {
            if (call.Refused)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                if (!HttpMethods.IsHead(request.Method))
                {
                    context.Response.ContentType = "application/xml";
                    await context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message><RequestId>gate</RequestId></Error>");
                }

                return;
            }

            await ForwardAsync(context);
        }
        finally
        {
            After?.Invoke(call);
        }
    }

    private async Task ForwardAsync(HttpContext context)
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

        using var response = await _upstream.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (name is "Transfer-Encoding" or "Connection" or "Keep-Alive")
            {
                continue;
            }

            context.Response.Headers[name] = values.ToArray();
        }

        if (!HttpMethods.IsHead(request.Method))
        {
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }
}

/// <summary>One S3 request as the gate saw it.</summary>
public sealed record GateCall(string Operation, string Bucket, string? AccessKeyId, string? SessionToken, bool Refused);
