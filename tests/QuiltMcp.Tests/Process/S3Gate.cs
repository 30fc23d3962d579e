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

namespace QuiltMcp.Tests.Process;

/// <summary>
/// A reverse proxy in front of moto that behaves like IAM for the catalog users: moto accepts any key, so this gate
/// records which access key and session token signed each S3 request and refuses (403 AccessDenied, as S3 answers)
/// requests whose key is unknown or may not touch the bucket. Path-style addressing only (what an endpoint override uses).
/// </summary>
internal sealed class S3Gate : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly string _upstreamUrl;
    private readonly ConcurrentDictionary<string, IReadOnlySet<string>> _access = new(StringComparer.Ordinal);

    private S3Gate(WebApplication app, string upstreamUrl)
    {
        _app = app;
        _upstreamUrl = upstreamUrl.TrimEnd('/');
        _upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None });
    }

    /// <summary>The gate's endpoint, for <c>AWS_ENDPOINT_URL_S3</c>.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Every request that reached the gate, allowed or not.</summary>
    public ConcurrentQueue<S3Call> Calls { get; } = new();

    public static async Task<S3Gate> StartAsync(string upstreamUrl)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var gate = new S3Gate(app, upstreamUrl);
        app.Run(gate.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        gate.Url = new Uri(address);
        return gate;
    }

    /// <summary>Lets requests signed with <paramref name="accessKeyId"/> reach <paramref name="buckets"/>.</summary>
    public void Allow(string accessKeyId, IEnumerable<string> buckets) =>
        _access[accessKeyId] = buckets.ToHashSet(StringComparer.Ordinal);

    public async ValueTask DisposeAsync()
    {
        _upstream.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The access key of a SigV4 <c>Authorization</c> header (<c>… Credential=KEY/date/region/s3/aws4_request, …</c>).</summary>
    internal static string? AccessKey(string authorization)
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
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var path = request.Path.Value ?? "/";
        var bucket = path.TrimStart('/').Split('/', 2)[0];
        var key = AccessKey(request.Headers.Authorization.ToString())
            ?? (request.Query["X-Amz-Credential"].ToString() is { Length: > 0 } credential ? credential.Split('/')[0] : null);
        var session = request.Headers["x-amz-security-token"].ToString() is { Length: > 0 } header ? header : request.Query["X-Amz-Security-Token"].ToString();
        var allowed = key is not null && _access.TryGetValue(key, out var buckets) && (bucket.Length == 0 || buckets.Contains(bucket));
        Calls.Enqueue(new S3Call(request.Method, bucket, key, session.Length == 0 ? null : session, allowed));
        if (!allowed)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            if (!HttpMethods.IsHead(request.Method))
            {
                context.Response.ContentType = "application/xml";
                await context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>gate</RequestId></Error>");
            }

            return;
        }

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
internal sealed record S3Call(string Method, string Bucket, string? AccessKeyId, string? SessionToken, bool Allowed);
