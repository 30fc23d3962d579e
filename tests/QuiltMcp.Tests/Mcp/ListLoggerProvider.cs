using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace QuiltMcp.Tests.Mcp;

/// <summary>Collects formatted log lines so tests can wait for what the server says it did.</summary>
internal sealed class ListLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    public async Task WaitForAsync(string fragment)
    {
        for (var i = 0; !Lines.Any(l => l.Contains(fragment, StringComparison.Ordinal)); i++)
        {
            i.ShouldBeLessThan(600, $"no log line with '{fragment}':\n{string.Join("\n", Lines)}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private sealed class Logger(ListLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
    }
}
