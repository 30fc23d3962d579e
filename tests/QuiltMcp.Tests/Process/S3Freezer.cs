using Microsoft.AspNetCore.Http;
using Quilt.Testing;

namespace QuiltMcp.Tests.Process;

/// <summary>
/// An <see cref="S3Proxy"/> in front of moto that stops the world at a chosen request, so that a test can <c>kill -9</c> a
/// client at an exact point of its run. Until the trigger every request passes; the trigger either reaches moto and its
/// answer is then withheld (the write landed, the client never hears of it) or is withheld unsent; from then on every
/// new request hangs unsent until its client goes away. Requests already forwarded complete normally.
/// </summary>
internal sealed class S3Freezer : IAsyncDisposable
{
    private readonly TaskCompletionSource<S3ProxyRequest> _frozen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private S3Proxy _proxy = null!;
    private Func<S3ProxyRequest, bool>? _trigger;
    private bool _forwardTrigger;
    private int _occurrence;
    private int _matches;
    private bool _isFrozen;
    private int _requests;

    private S3Freezer()
    {
    }

    /// <summary>The proxy's endpoint, for <c>AWS_ENDPOINT_URL</c>.</summary>
    public Uri Url => _proxy.Url;

    /// <summary>Completes with the trigger once the world stopped (after moto answered it, when it was forwarded).</summary>
    public Task<S3ProxyRequest> Frozen => _frozen.Task;

    public static async Task<S3Freezer> StartAsync(string upstreamUrl)
    {
        var freezer = new S3Freezer();
        freezer._proxy = await S3Proxy.StartAsync(upstreamUrl, freezer.HandleAsync);
        return freezer;
    }

    /// <summary>Freezes at the <paramref name="occurrence"/>-th request matching <paramref name="trigger"/>.</summary>
    public void Arm(Func<S3ProxyRequest, bool> trigger, bool forwardTrigger, int occurrence = 1)
    {
        lock (_gate)
        {
            _trigger = trigger;
            _forwardTrigger = forwardTrigger;
            _occurrence = occurrence;
        }
    }

    /// <summary>Requests seen so far, so a test can tell a slow run (still sending) from a stuck one.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public ValueTask DisposeAsync() => _proxy.DisposeAsync();

    private async Task HandleAsync(HttpContext context, S3ProxyRequest call)
    {
        Interlocked.Increment(ref _requests);
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

            await _proxy.HoldAsync(context);
            return;
        }

        // The trigger's request must reach moto even if its client dies meanwhile: it carries the freezer's token only.
        using var response = await _proxy.SendAsync(context, HttpCompletionOption.ResponseContentRead, trigger ? _proxy.Stopping : context.RequestAborted);
        if (trigger)
        {
            _frozen.TrySetResult(call);
            await _proxy.HoldAsync(context);
            return;
        }

        await S3Proxy.RelayAsync(context, response);
    }
}
