using System.Net;

namespace QuiltMcp.Tests.Mcp;

/// <summary>Sessions that clients abandon without DELETE are ended after the idle timeout; busy ones never are.</summary>
public sealed class McpHttpHostIdleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TimeSpan Later = TimeSpan.FromHours(3);

    [Fact]
    public async Task EndIdleSessions_SessionUnusedPastTimeout_IsEndedAndAnswers404()
    {
        await using var harness = await HttpHostHarness.StartAsync();
        var session = await harness.InitializeAsync();

        (await harness.Host.EndIdleSessionsAsync(DateTimeOffset.UtcNow.AddMinutes(30))).ShouldBe(0);
        (await harness.Host.EndIdleSessionsAsync(DateTimeOffset.UtcNow + Later)).ShouldBe(1);

        using var after = await harness.PostAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/list"}""", session);
        after.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        harness.Log.Lines.ShouldContain(l => l.Contains("Ended 1 HTTP session(s) idle for more than 120 minutes", StringComparison.Ordinal));
        harness.Log.Lines.ShouldNotContain(l => l.Contains(session, StringComparison.Ordinal));
    }

    [Fact]
    public async Task EndIdleSessions_ToolCallStillRunning_KeepsTheSession()
    {
        await using var harness = await HttpHostHarness.StartAsync();
        var session = await harness.InitializeAsync();
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var call = harness.PostAbortableAsync(HttpHostHarness.CreateCallBody, session, abort.Token);
        await harness.Operations.Started.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        (await harness.Host.EndIdleSessionsAsync(DateTimeOffset.UtcNow + Later)).ShouldBe(0);

        harness.Operations.Cancelled.Task.IsCompleted.ShouldBeFalse();
        await abort.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(call);
    }

    [Fact]
    public async Task EndIdleSessions_OpenGetStream_KeepsTheSession()
    {
        await using var harness = await HttpHostHarness.StartAsync();
        var session = await harness.InitializeAsync();
        using var stream = await harness.SendAsync(HttpHostHarness.Request(HttpMethod.Get, harness.Endpoint, sessionId: session, accept: "text/event-stream"));
        stream.StatusCode.ShouldBe(HttpStatusCode.OK);

        (await harness.Host.EndIdleSessionsAsync(DateTimeOffset.UtcNow + Later)).ShouldBe(0);

        using var list = await harness.PostAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/list"}""", session);
        list.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task EndIdleSessions_ShorterTimeoutFromOptions_IsTheOneApplied()
    {
        await using var harness = await HttpHostHarness.StartAsync(new QuiltMcp.Mcp.McpServeOptions("127.0.0.1:0", [], []) { SessionIdleTimeout = TimeSpan.FromMinutes(5) });
        var first = await harness.InitializeAsync();
        var second = await harness.InitializeAsync();

        (await harness.Host.EndIdleSessionsAsync(DateTimeOffset.UtcNow.AddMinutes(4))).ShouldBe(0);
        (await harness.Host.EndIdleSessionsAsync(DateTimeOffset.UtcNow.AddMinutes(6))).ShouldBe(2);

        foreach (var session in new[] { first, second })
        {
            using var again = await harness.PostAsync("""{"jsonrpc":"2.0","id":3,"method":"tools/list"}""", session);
            again.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }
    }
}
