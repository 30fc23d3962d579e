using System.Net;

namespace QuiltMcp.Tests.Mcp;

/// <summary>
/// Sessions that clients abandon without DELETE are ended after the idle timeout (the SDK's sweep, every 5 seconds);
/// busy ones never are.
/// </summary>
public sealed class McpHttpHostIdleTests
{
    private const string ListBody = """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""";

    /// <summary>More than one sweep of the SDK's idle tracker (it runs every 5 seconds).</summary>
    private static readonly TimeSpan OneSweep = TimeSpan.FromSeconds(6);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IdleSweep_SessionUnusedPastTimeout_IsEndedAndAnswers404()
    {
        var time = new ShiftedTimeProvider();
        await using var harness = await HttpHostHarness.StartAsync(time: time);
        var session = await harness.InitializeAsync();

        time.Shift = TimeSpan.FromMinutes(30);
        await Task.Delay(OneSweep, Ct);
        (await ExistsAsync(harness, session)).ShouldBeTrue();

        time.Shift = TimeSpan.FromHours(3);
        await WaitForEndAsync(harness, session);
        harness.Log.Lines.ShouldNotContain(l => l.Contains(session, StringComparison.Ordinal));
    }

    [Fact]
    public async Task IdleSweep_ToolCallStillRunning_KeepsTheSession()
    {
        var time = new ShiftedTimeProvider();
        await using var harness = await HttpHostHarness.StartAsync(time: time);
        var session = await harness.InitializeAsync();
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var call = harness.PostAbortableAsync(HttpHostHarness.CreateCallBody, session, abort.Token);
        await harness.Operations.Started.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        time.Shift = TimeSpan.FromHours(3);
        await Task.Delay(OneSweep, Ct);

        harness.Operations.Cancelled.Task.IsCompleted.ShouldBeFalse();
        (await ExistsAsync(harness, session)).ShouldBeTrue();
        await abort.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(call);
    }

    [Fact]
    public async Task IdleSweep_OpenGetStream_KeepsTheSession()
    {
        var time = new ShiftedTimeProvider();
        await using var harness = await HttpHostHarness.StartAsync(time: time);
        var session = await harness.InitializeAsync();
        using var stream = await harness.SendAsync(HttpHostHarness.Request(HttpMethod.Get, harness.Endpoint, sessionId: session, accept: "text/event-stream"));
        stream.StatusCode.ShouldBe(HttpStatusCode.OK);

        time.Shift = TimeSpan.FromHours(3);
        await Task.Delay(OneSweep, Ct);

        (await ExistsAsync(harness, session)).ShouldBeTrue();
    }

    [Fact]
    public async Task IdleSweep_ShorterTimeoutFromOptions_IsTheOneApplied()
    {
        var time = new ShiftedTimeProvider();
        await using var harness = await HttpHostHarness.StartAsync(new QuiltMcp.Mcp.McpServeOptions("127.0.0.1:0", [], []) { SessionIdleTimeout = TimeSpan.FromMinutes(5) }, time);
        var first = await harness.InitializeAsync();
        var second = await harness.InitializeAsync();

        time.Shift = TimeSpan.FromMinutes(6);

        await WaitForEndAsync(harness, first);
        (await ExistsAsync(harness, second)).ShouldBeFalse();
    }

    /// <summary>
    /// Whether the session still exists, asked without touching it: a GET with another token is refused with 403 by a
    /// session that exists and 404 once it is gone, and a refused request is no activity (a served one would be).
    /// </summary>
    private static async Task<bool> ExistsAsync(HttpHostHarness harness, string session)
    {
        using var probe = HttpHostHarness.Request(HttpMethod.Get, harness.Endpoint, sessionId: session, accept: "text/event-stream");
        probe.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "probe");
        using var response = await harness.SendAsync(probe);
        response.StatusCode.ShouldBeOneOf(HttpStatusCode.Forbidden, HttpStatusCode.NotFound);
        return response.StatusCode == HttpStatusCode.Forbidden;
    }

    /// <summary>Waits (at most a few sweeps) for the session to be ended.</summary>
    private static async Task WaitForEndAsync(HttpHostHarness harness, string session)
    {
        for (var i = 0; i < 4 && await ExistsAsync(harness, session); i++)
        {
            await Task.Delay(OneSweep, Ct);
        }

        (await ExistsAsync(harness, session)).ShouldBeFalse();
        using var after = await harness.PostAsync(ListBody, session);
        after.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
