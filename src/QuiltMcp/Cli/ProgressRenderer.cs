using System.Diagnostics;
using System.Globalization;
using Quilt.Packaging.Contracts;
using Spectre.Console;

namespace QuiltMcp.Cli;

/// <summary>
/// Shows progress of a long run on stderr: a live bar (phase, objects, bytes, rate) on a terminal, plain periodic
/// lines otherwise, so logs and CI output stay readable.
/// </summary>
internal static class ProgressRenderer
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(2);

    public static async Task<T> RunAsync<T>(Output output, bool quietForJson, Func<IProgress<ProgressUpdate>, Task<T>> run)
    {
        var interactive = !Console.IsErrorRedirected && ReferenceEquals(output.Error, Console.Error) && !quietForJson;
        if (!interactive)
        {
            var plain = new PlainProgress(output.Error);
            var result = await run(plain).ConfigureAwait(false);
            return result;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                var gate = new Lock();
                var clock = Stopwatch.StartNew();
                var progress = new Progress<ProgressUpdate>(u =>
                {
                    lock (gate)
                    {
                        if (!tasks.TryGetValue(u.Phase, out var task))
                        {
                            tasks[u.Phase] = task = ctx.AddTask(u.Phase);
                        }

                        task.MaxValue = Math.Max(1, u.ObjectsTotal ?? u.ObjectsDone);
                        task.Value = u.ObjectsDone;
                        task.Description = $"{u.Phase} {u.ObjectsDone:N0}/{(u.ObjectsTotal?.ToString("N0", CultureInfo.InvariantCulture) ?? "?")} objects {FormatBytes(u.BytesDone)} {Rate(u.ObjectsDone, clock.Elapsed)}";
                    }
                });
                return await run(progress).ConfigureAwait(false);
            }).ConfigureAwait(false);
    }

    internal static string FormatBytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.0} MiB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.00} GiB",
    };

    private static string Rate(long objects, TimeSpan elapsed) =>
        elapsed.TotalSeconds < 0.5 ? "" : $"{objects / elapsed.TotalSeconds:0.#}/s";

    /// <summary>Prints a line per phase change and at most every two seconds otherwise.</summary>
    private sealed class PlainProgress(TextWriter writer) : IProgress<ProgressUpdate>
    {
        private readonly Lock _gate = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private string? _phase;
        private TimeSpan _last = TimeSpan.MinValue;

        public void Report(ProgressUpdate value)
        {
            lock (_gate)
            {
                var now = _clock.Elapsed;
                var done = value.ObjectsTotal is { } total && value.ObjectsDone >= total;
                if (value.Phase == _phase && now - _last < PlainInterval && !done)
                {
                    return;
                }

                if (value.Phase == _phase && done && now - _last < PlainInterval && value.ObjectsDone != value.ObjectsTotal)
                {
                    return;
                }

                _phase = value.Phase;
                _last = now;
                var totalText = value.ObjectsTotal?.ToString("N0", CultureInfo.InvariantCulture) ?? "?";
                var bytes = value.BytesTotal is { } bt ? $", {FormatBytes(value.BytesDone)}/{FormatBytes(bt)}" : "";
                writer.WriteLine($"{value.Phase}: {value.ObjectsDone:N0}/{totalText} objects{bytes} {Rate(value.ObjectsDone, now)}".TrimEnd());
            }
        }
    }
}
