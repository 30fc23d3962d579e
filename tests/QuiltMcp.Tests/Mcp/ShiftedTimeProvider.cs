namespace QuiltMcp.Tests.Mcp;

/// <summary>
/// The system clock moved forward by <see cref="Shift"/>: timers still fire in real time (so the SDK's idle-session
/// sweep runs every few seconds), while the timestamps it compares jump as far as a test says.
/// </summary>
internal sealed class ShiftedTimeProvider : TimeProvider
{
    private long _shiftTicks;

    public TimeSpan Shift
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _shiftTicks));
        set => Interlocked.Exchange(ref _shiftTicks, value.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Shift;

    public override long GetTimestamp() => System.GetTimestamp() + (long)(Shift.TotalSeconds * System.TimestampFrequency);
}
