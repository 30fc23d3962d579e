namespace QuiltMcp.Mcp.Internal;

/// <summary>
/// <paramref name="inner"/> with timestamps in 100 ns units. The SDK converts its idle timeout to timestamp ticks as
/// <c>idleTimeout.Ticks * TimestampFrequency</c> in 64-bit integers; on Linux (1 GHz timestamps) that overflows for
/// any timeout above about 15 minutes, turns negative and means "never expire", so the default two hours never ended a
/// session. At 10 MHz the product stays in range for timeouts up to a day (<see cref="MaxIdleTimeout"/>).
/// </summary>
internal sealed class TenMegahertzTimeProvider(TimeProvider inner) : TimeProvider
{
    /// <summary>The longest idle timeout the SDK's conversion handles at this frequency.</summary>
    public static readonly TimeSpan MaxIdleTimeout = TimeSpan.FromHours(24);

    private readonly double _scale = (double)TimeSpan.TicksPerSecond / inner.TimestampFrequency;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override long GetTimestamp() => (long)(inner.GetTimestamp() * _scale);

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}
