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
/// A reverse proxy in front of moto that stops the world at a chosen request, so that a test can <c>kill -9</c> a
/// client at an exact point of its run. Until the trigger every request passes; the trigger either reaches moto and its
/// answer is then withheld (the write landed, the client never hears of it) or is withheld unsent; from then on every
/// new request hangs unsent until its client goes away. Requests already forwarded complete normally. Path-style only.
/// </summary>
internal sealed class S3Freezer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly string _upstreamUrl;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource<S3Request> _frozen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private Func<S3Request, bool>? _trigger;
    private bool _forwardTrigger;
    private int _occurrence;
    private int _matches;
    private bool _isFrozen;

    private S3Freezer(WebApplication app, string upstreamUrl)
    {
        _app = app;
        _upstreamUrl = upstreamUrl.TrimEnd('/');
        _upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None })
        {
            Timeout = TimeSpan.FromMinutes(2),
        };
    }

    /// <summary>The proxy's endpoint, for <c>AWS_ENDPOINT_URL</c>.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Completes with the trigger once the world stopped (after moto answered it, when it was forwarded).</summary>
    public Task<S3Request> Frozen => _frozen.Task;

    public static async Task<S3Freezer> StartAsync(string upstreamUrl)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var freezer = new S3Freezer(app, upstreamUrl);
        app.Run(freezer.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        freezer.Url = new Uri(address);
        return freezer;
    }

    /// <summary>Freezes at the <paramref name="occurrence"/>-th request matching <paramref name="trigger"/>.</summary>
    public void Arm(Func<S3Request, bool> trigger, bool forwardTrigger, int occurrence = 1)
    {
        lock (_gate)
        {
            _trigger = trigger;
            _forwardTrigger = forwardTrigger;
            _occurrence = occurrence;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var path = Uri.UnescapeDataString(request.Path.Value ?? "/").TrimStart('/');
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var call = new S3Request(
            request.Method,
            slash < 0 ? path : path[..slash],
            slash < 0 ? "" : path[(slash + 1)..],
            request.QueryString.Value ?? "",
            request.Headers.ContainsKey("x-amz-copy-source"));

        bool hold, forward, trigger;
        lock (_gate)
        {
            trigger = !_isFrozen && _trigger is not null && _trigger(call) && ++_matches == _occurrence;
            hold = _isFrozen || trigger;
            forward = !_isFrozen || (trigger && _forwardTrigger);
            _isFrozen |= trigger;
        }

        if (hold && !forward)
        {
            if (trigger)
            {
                _frozen.TrySetResult(call);
            }

            await HoldAsync(context);
            return;
        }

        using var forwarded = new HttpRequestMessage(new HttpMethod(request.Method), _upstreamUrl + target);
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        if (body.Length > 0 || HttpMethods.IsPut(request.Method) || HttpMethods.IsPost(request.Method))
        {
            forwarded.Content = new ByteArrayContent(body.ToArray());
        }

        foreach (var (name, values) in request.Headers)
        {
            if (name is "Host" or "Content-Length" or "Transfer-Encoding" or "Connection" or "Expect")
            {
                continue;
            }

            if (!forwarded.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                forwarded.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        // The trigger's request must reach moto even if its client dies meanwhile: it carries the freezer's token only.
        using var response = await _upstream.SendAsync(forwarded, HttpCompletionOption.ResponseContentRead, trigger ? _stopping.Token : context.RequestAborted);
        if (trigger)
        {
            _frozen.TrySetResult(call);
            await HoldAsync(context);
            return;
        }

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

    /// <summary>Never answers: waits until the client went away (killed) or the freezer stops, then drops the connection.</summary>
    private async Task HoldAsync(HttpContext context)
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
}

/// <summary>One S3 request as the freezer saw it (path-style: bucket, then key).</summary>
internal sealed record S3Request(string Method, string Bucket, string Key, string Query, bool HasCopySource)
{
    /// <summary>A part of a multipart copy (UploadPartCopy).</summary>
    public bool IsUploadPartCopy => Method == "PUT" && HasCopySource && Query.Contains("partNumber=", StringComparison.Ordinal);

    /// <summary>A single-request copy (CopyObject).</summary>
    public bool IsCopyObject => Method == "PUT" && HasCopySource && !Query.Contains("partNumber=", StringComparison.Ordinal);

    /// <summary>The start of a multipart upload (CreateMultipartUpload).</summary>
    public bool IsCreateMultipartUpload => Method == "POST" && Query.Contains("uploads", StringComparison.Ordinal) && !Query.Contains("uploadId", StringComparison.Ordinal);

    /// <summary>A plain object PUT (PutObject).</summary>
    public bool IsPutObject => Method == "PUT" && !HasCopySource && Key.Length > 0 && !Query.Contains("partNumber=", StringComparison.Ordinal);
}
