using System.Diagnostics;
using ModelContextProtocol;
using Quilt.Packaging.Contracts;

namespace QuiltMcp.Mcp;

/// <summary>
/// Forwards pipeline progress to MCP <c>notifications/progress</c>, at most ten a second (plus every phase change and
/// the last update of a phase), so a long run does not flood the client.
/// </summary>
internal sealed class McpProgressBridge(IProgress<ProgressNotificationValue> target) : IProgress<ProgressUpdate>
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private readonly Lock _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _last = TimeSpan.MinValue;
    private string? _phase;
    private long _sequence;

    public void Report(ProgressUpdate value)
    {
        lock (_gate)
        {
            var now = _clock.Elapsed;
            var phaseDone = value.ObjectsTotal is { } total && value.ObjectsDone >= total;
            if (value.Phase == _phase && !phaseDone && now - _last < Interval)
            {
                return;
            }

            _phase = value.Phase;
            _last = now;

            // Progress must increase across the whole call, so it counts every update sent, not one phase's objects.
            _sequence++;
            var totalText = value.ObjectsTotal?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
            target.Report(new ProgressNotificationValue
            {
                Progress = _sequence,
                Message = $"{value.Phase}: {value.ObjectsDone}/{totalText} objects, {value.BytesDone} bytes",
            });
        }
    }
}
