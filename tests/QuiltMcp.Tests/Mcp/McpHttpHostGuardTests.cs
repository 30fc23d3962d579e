using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using QuiltMcp.Mcp.Internal;

namespace QuiltMcp.Tests.Mcp;

/// <summary>
/// What the host guarantees on top of the SDK's endpoint, through HTTP: bodies are judged by size first (with or
/// without Content-Length), anything that is not one JSON-RPC message is refused without a session, an aborted POST
/// cancels its call whatever its id, and a session only serves the token that opened it.
/// </summary>
public sealed class McpHttpHostGuardTests
{
    private const string ListBody = """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","method":"notifications/initialized"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":5,"result":{}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":5,"error":{"code":-1,"message":"no"}}""")]
    public async Task Post_NotificationOrResponseOnSession_Is202WithoutBody(string body)
    {
        await using var harness = await HttpHostHarness.StartAsync();
        var session = await harness.InitializeAsync();

        using var response = await harness.PostAsync(body, session);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""[{"jsonrpc":"2.0","id":1,"method":"ping"}]""")]
    [InlineData("""[1, 2, 3]""")]
    [InlineData("true")]
    [InlineData("\"text\"")]
    [InlineData("""{"jsonrpc":"2.0","id":{"nested":true},"method":"ping"}""")]
    [InlineData("{\"jsonrpc\":\"2.0\",}")]
    [InlineData("\u00e9t\u00e9")]
    public async Task Post_NotOneJsonRpcMessageOnSession_Is400AndSessionStillWorks(string body)
    {
        await using var harness = await HttpHostHarness.StartAsync();
        var session = await harness.InitializeAsync();

        using var refused = await harness.PostAsync(body, session);
        using var list = await harness.PostAsync(ListBody, session);

        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await HttpHostHarness.ReadErrorAsync(refused))["code"]!.GetValue<int>().ShouldBe(-32600);
        list.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Post_JsonNestedTooDeep_Is400()
    {
        await using var harness = await HttpHostHarness.StartAsync();
        var body = """{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{"pad":""" + new string('[', 200) + new string(']', 200) + "}}";

        using var response = await harness.PostAsync(body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await HttpHostHarness.ReadErrorAsync(response))["message"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
    }

    [Theory]
    [InlineData(-1, false, HttpStatusCode.BadRequest)]
    [InlineData(0, false, HttpStatusCode.BadRequest)]
    [InlineData(-4 * 1024 * 1024, true, HttpStatusCode.BadRequest)]
    [InlineData(-4 * 1024 * 1024, false, HttpStatusCode.BadRequest)]
    [InlineData(1, true, HttpStatusCode.RequestEntityTooLarge)]
    [InlineData(1024 * 1024, true, HttpStatusCode.RequestEntityTooLarge)]
    public async Task Post_BodyAroundTheLimit_IsJudgedBySizeFirst(int overLimit, bool chunked, HttpStatusCode expected)
    {
        await using var harness = await HttpHostHarness.StartAsync();
        var bytes = Encoding.UTF8.GetBytes(PaddedList(HttpGuards.MaxBodyBytes + overLimit));
        HttpContent content = chunked ? new StreamContent(new UnknownLengthStream(bytes)) : new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        // Without a session: a body within the limit is read and refused for the missing session (400), not for size.
        using var response = await harness.SendAsync(HttpHostHarness.Request(HttpMethod.Post, harness.Endpoint, content));

        response.StatusCode.ShouldBe(expected);
        var message = (await HttpHostHarness.ReadErrorAsync(response))["message"]!.GetValue<string>();
        message.ShouldStartWith(expected == HttpStatusCode.BadRequest ? "Bad Request" : "Payload Too Large");
    }

    [Theory]
    [InlineData("7")]
    [InlineData("-1")]
    [InlineData("9223372036854775807")]
    [InlineData("\"call-7\"")]
    [InlineData("\"\"")]
    [InlineData("\"\\u00fcn\\u00efcode \\\"quoted\\\" \\n line\"")]
    public async Task Post_ToolCallAbortedWithAnyId_IsCancelledAndLoggedWithItsId(string id)
    {
        await using var harness = await HttpHostHarness.StartAsync();
        var session = await harness.InitializeAsync();
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var body = HttpHostHarness.CreateCallBody.Replace("\"id\":\"call-7\"", $"\"id\":{id}", StringComparison.Ordinal);

        var call = harness.PostAbortableAsync(body, session, abort.Token);
        await harness.Operations.Started.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await abort.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(call);
        await harness.Operations.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var shown = JsonNode.Parse(id)!.ToString();
        await harness.Log.WaitForAsync($"tools/call package_create_from_s3 (request {shown}) ended by cancellation");
    }

    [Fact]
    public async Task Post_ToolCallFailingWithoutCancellation_IsAnErrorResultAndLogsNoCancellation()
    {
        await using var harness = await HttpHostHarness.StartAsync();
        var session = await harness.InitializeAsync();

        using var response = await harness.PostAsync("""{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"package_browse","arguments":{"package_name":"team/data","registry":"s3://registry"}}}""", session);

        var result = (await HttpHostHarness.ReadSseAsync(response))[^1]["result"]!;
        result["isError"]!.GetValue<bool>().ShouldBeTrue();
        harness.Log.Lines.ShouldNotContain(l => l.Contains("ended by cancellation", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("alice", null, HttpStatusCode.Forbidden)]
    [InlineData("alice", "bob", HttpStatusCode.Forbidden)]
    [InlineData("alice", "alice", HttpStatusCode.OK)]
    [InlineData(null, "alice", HttpStatusCode.Forbidden)]
    public async Task Post_SessionOpenedWithToken_ServesThatTokenOnly(string? opener, string? later, HttpStatusCode expected)
    {
        await using var harness = await HttpHostHarness.StartAsync();
        using var initialize = HttpHostHarness.Request(HttpMethod.Post, harness.Endpoint, HttpHostHarness.Json(HttpHostHarness.InitializeBody));
        Authorize(initialize, opener);
        using var opened = await harness.SendAsync(initialize);
        var session = opened.Headers.GetValues("Mcp-Session-Id").Single();
        using var request = HttpHostHarness.Request(HttpMethod.Post, harness.Endpoint, HttpHostHarness.Json(ListBody), session);
        Authorize(request, later);

        using var response = await harness.SendAsync(request);

        response.StatusCode.ShouldBe(expected);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("OPTIONS")]
    public async Task Request_OtherMethod_Is405WithAllowAndJsonRpcError(string method)
    {
        await using var harness = await HttpHostHarness.StartAsync();

        using var response = await harness.SendAsync(HttpHostHarness.Request(new HttpMethod(method), harness.Endpoint, HttpHostHarness.Json(ListBody)));

        response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.Allow.ShouldBe(["GET", "POST", "DELETE"], ignoreOrder: true);
        (await HttpHostHarness.ReadErrorAsync(response))["message"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task Post_NotJsonContentType_Is415(string? contentType)
    {
        await using var harness = await HttpHostHarness.StartAsync();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(HttpHostHarness.InitializeBody));
        if (contentType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        using var response = await harness.SendAsync(HttpHostHarness.Request(HttpMethod.Post, harness.Endpoint, content));

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        response.Headers.Contains("Mcp-Session-Id").ShouldBeFalse();
    }

    private static void Authorize(HttpRequestMessage request, string? token)
    {
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    /// <summary>A valid <c>tools/list</c> request padded with a string parameter to exactly <paramref name="length"/> bytes.</summary>
    private static string PaddedList(long length)
    {
        const string Prefix = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{\"pad\":\"";
        const string Suffix = "\"}}";
        return Prefix + new string('a', (int)length - Prefix.Length - Suffix.Length) + Suffix;
    }

    /// <summary>A body without a known length, so the client sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
