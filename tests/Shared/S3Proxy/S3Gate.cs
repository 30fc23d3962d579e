#if QUILT_S3PROXY
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Quilt.Testing;

/// <summary>
/// An <see cref="S3Proxy"/> that judges credentials as AWS would (moto accepts any): it records who signed each S3
/// request and refuses, as IAM would, keys that may not touch the bucket once <see cref="Allow"/> was called
/// (<c>403 AccessDenied</c>), and sessions <see cref="Refuses"/> calls expired or revoked (<c>400 ExpiredToken</c>).
/// After each request it runs <see cref="After"/> (to move a clock between two requests).
/// </summary>
public sealed class S3Gate : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, IReadOnlySet<string>> _access = new(StringComparer.Ordinal);
    private S3Proxy _proxy = null!;
    private volatile bool _checksAccess;

    private S3Gate()
    {
    }

    /// <summary>The gate's endpoint (the S3 endpoint clients are configured with).</summary>
    public Uri Url => _proxy.Url;

    /// <summary>Every request that reached the gate, allowed or not, in arrival order.</summary>
    public ConcurrentQueue<S3GateCall> Calls { get; } = new();

    /// <summary>Whether a session token ("" when none) is refused as expired; none by default.</summary>
    public Func<string, bool> Refuses { get; set; } = _ => false;

    /// <summary>Runs after each request was judged (and, when allowed, answered by moto).</summary>
    public Action<S3GateCall>? After { get; set; }

    public static async Task<S3Gate> StartAsync(string upstreamUrl)
    {
        var gate = new S3Gate();
        gate._proxy = await S3Proxy.StartAsync(upstreamUrl, gate.HandleAsync);
        return gate;
    }

    /// <summary>Lets requests signed with <paramref name="accessKeyId"/> reach <paramref name="buckets"/>; from then on other keys are refused.</summary>
    public void Allow(string accessKeyId, IEnumerable<string> buckets)
    {
        _access[accessKeyId] = buckets.ToHashSet(StringComparer.Ordinal);
        _checksAccess = true;
    }

    public ValueTask DisposeAsync() => _proxy.DisposeAsync();

    private async Task HandleAsync(HttpContext context, S3ProxyRequest request)
    {
        var denied = _checksAccess
            && !(request.AccessKeyId is { } key && _access.TryGetValue(key, out var buckets) && (request.Bucket.Length == 0 || buckets.Contains(request.Bucket)));
        var expired = !denied && Refuses(request.SessionToken ?? "");
        var call = new S3GateCall(request.Operation, request.Method, request.Bucket, request.AccessKeyId, request.SessionToken, !denied && !expired);
        Calls.Enqueue(call);
        try
        {
            if (denied)
            {
                await S3Proxy.RefuseAsync(context, StatusCodes.Status403Forbidden, "AccessDenied", "Access Denied");
            }
            else if (expired)
            {
                await S3Proxy.RefuseAsync(context, StatusCodes.Status400BadRequest, "ExpiredToken", "The provided token has expired.");
            }
            else
            {
                await _proxy.ForwardAsync(context);
            }
        }
        finally
        {
            After?.Invoke(call);
        }
    }
}

/// <summary>One S3 request as the gate saw it.</summary>
public sealed record S3GateCall(string Operation, string Method, string Bucket, string? AccessKeyId, string? SessionToken, bool Allowed)
{
    /// <summary>Refused (as expired, or denied).</summary>
    public bool Refused => !Allowed;
}
#endif
