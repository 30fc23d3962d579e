using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using QuiltMcp.Mcp.Internal;

namespace QuiltMcp.Tests.Mcp.Internal;

public sealed class AbandonedRequestsTests : IAsyncDisposable
{
    private readonly StreamableHttpServerTransport _transport = new();
    private readonly McpServer _server;

    public AbandonedRequestsTests() => _server = McpServer.Create(_transport, new McpServerOptions());

    [Theory]
    [InlineData(7L)]
    [InlineData(-1L)]
    [InlineData(long.MaxValue)]
    public void CancelledNotification_NumericId_KeepsTheNumber(long id)
    {
        var notification = AbandonedRequests.CancelledNotification(new RequestId(id));

        notification.Method.ShouldBe("notifications/cancelled");
        var parameters = notification.Params.ShouldBeOfType<JsonObject>();
        parameters["requestId"]!.GetValue<long>().ShouldBe(id);
        parameters["reason"]!.GetValue<string>().ShouldBe(AbandonedRequests.Reason);
    }

    [Theory]
    [InlineData("call-7")]
    [InlineData("")]
    [InlineData("ünïcode \"quoted\" \n line")]
    public void CancelledNotification_StringId_KeepsTheString(string id)
    {
        var notification = AbandonedRequests.CancelledNotification(new RequestId(id));

        notification.Params!["requestId"]!.GetValue<string>().ShouldBe(id);
    }

    [Fact]
    public async Task CancelAsync_TransportAlreadyDisposed_DoesNotThrowAndLogs()
    {
        var log = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(log));
        var transport = new StreamableHttpServerTransport(factory);
        await transport.DisposeAsync();

        await AbandonedRequests.CancelAsync(transport, new JsonRpcRequest { Id = new RequestId(3), Method = "tools/call" }, factory.CreateLogger("t"));

        log.Lines.ShouldContain(l => l.Contains("Request 3 (tools/call): its POST ended before the response", StringComparison.Ordinal));
        log.Lines.ShouldContain(l => l.StartsWith("Debug: Request 3: the cancellation could not be delivered", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LogCancelledToolCalls_HandlerCancelled_LogsAndRethrows()
    {
        var log = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(log));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var handler = AbandonedRequests.LogCancelledToolCalls(factory.CreateLogger("t"))((_, token) => throw new OperationCanceledException(token));

        await Should.ThrowAsync<OperationCanceledException>(async () => await handler(Context("package_create_from_s3", "r-1"), cts.Token));

        log.Lines.ShouldContain("Information: tools/call package_create_from_s3 (request r-1) ended by cancellation");
    }

    [Fact]
    public async Task LogCancelledToolCalls_HandlerFailsWithoutCancellation_LogsNothing()
    {
        var log = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(log));
        var handler = AbandonedRequests.LogCancelledToolCalls(factory.CreateLogger("t"))((_, _) => throw new InvalidOperationException("boom"));

        await Should.ThrowAsync<InvalidOperationException>(async () => await handler(Context("package_list", "r-2"), TestContext.Current.CancellationToken));

        log.Lines.ShouldBeEmpty();
    }

    [Fact]
    public async Task LogCancelledToolCalls_HandlerSucceeds_PassesTheResultThrough()
    {
        var log = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(log));
        var expected = new CallToolResult { Content = [new TextContentBlock { Text = "ok" }] };
        var handler = AbandonedRequests.LogCancelledToolCalls(factory.CreateLogger("t"))((_, _) => ValueTask.FromResult(expected));

        var result = await handler(Context("package_list", "r-3"), TestContext.Current.CancellationToken);

        result.ShouldBeSameAs(expected);
        log.Lines.ShouldBeEmpty();
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _transport.DisposeAsync();
    }

    private RequestContext<CallToolRequestParams> Context(string tool, string id)
    {
        var request = new JsonRpcRequest { Id = new RequestId(id), Method = RequestMethods.ToolsCall };
        return new RequestContext<CallToolRequestParams>(_server, request, new CallToolRequestParams { Name = tool });
    }
}
