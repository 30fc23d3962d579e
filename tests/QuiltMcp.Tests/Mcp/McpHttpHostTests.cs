using System.Net;
using System.Net.Sockets;
using System.Text;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using QuiltMcp.Mcp.Internal;

namespace QuiltMcp.Tests.Mcp;

/// <summary>The streamable HTTP host in this process: cancellation of aborted POSTs and every refusal status.</summary>
public sealed class McpHttpHostTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Post_ToolCallAbortedByRawClient_CancelsTheOperationAndSessionStaysUsable()
    {
        await using var harness = await HttpHostHarness.StartAsync();
        var session = await harness.InitializeAsync();
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var call = harness.PostAbortableAsync(HttpHostHarness.CreateCallBody, session, abort.Token);
        await harness.Operations.Started.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        harness.Operations.Cancelled.Task.IsCompleted.ShouldBeFalse();
        await abort.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(call);
        await harness.Operations.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await harness.Log.WaitForAsync("tools/call package_create_from_s3 (request call-7) ended by cancellation");
        harness.Log.Lines.ShouldContain(l => l.Contains("Request call-7 (tools/call): its POST ended before the response", StringComparison.Ordinal));

        using var list = await harness.PostAsync("""{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"package_list","arguments":{"registry":"s3://registry"}}}""", session);
        list.StatusCode.ShouldBe(HttpStatusCode.OK);
        var messages = await HttpHostHarness.ReadSseAsync(list);
        messages[^1]["id"]!.GetValue<int>().ShouldBe(8);
        messages[^1]["result"]!["structuredContent"]!["packages"]![0]!["package_name"]!.GetValue<string>().ShouldBe("team/data");
    }

    [Fact]
    public async Task CallTool_SdkClientCancelsOverHttp_OperationIsCancelled()
    {
        await using var harness = await HttpHostHarness.StartAsync();
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = harness.Endpoint }), cancellationToken: Ct);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var call = client.CallToolAsync(
            "package_create_from_s3",
            new Dictionary<string, object?> { ["source_bucket"] = "src", ["package_name"] = "team/data", ["target_registry"] = "s3://registry" },
            new Progress(_ => cancel.Cancel()),
            cancellationToken: cancel.Token).AsTask();

        await Should.ThrowAsync<OperationCanceledException>(call);
        await harness.Operations.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        (await client.ListToolsAsync(cancellationToken: Ct)).Count.ShouldBe(8);
    }

    [Fact]
    public async Task Post_CancelledNotificationFromClient_IsAcceptedAndCancels()
    {
        await using var harness = await HttpHostHarness.StartAsync();
        var session = await harness.InitializeAsync();

        var call = harness.PostAsync(HttpHostHarness.CreateCallBody, session);
        await harness.Operations.Started.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        using var cancelled = await harness.PostAsync("""{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"call-7","reason":"stop"}}""", session);

        cancelled.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await harness.Operations.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        using var response = await call;
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        harness.Log.Lines.ShouldNotContain(l => l.Contains("its POST ended before the response", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_CompletedCall_IsNotCancelledAfterwards()
    {
        await using var harness = await HttpHostHarness.StartAsync();
        var session = await harness.InitializeAsync();

        using (var list = await harness.PostAsync("""{"jsonrpc":"2.0","id":3,"method":"tools/list"}""", session))
        {
            (await HttpHostHarness.ReadSseAsync(list))[^1]["result"]!["tools"]!.AsArray().Count.ShouldBe(8);
        }

        using var again = await harness.PostAsync("""{"jsonrpc":"2.0","id":4,"method":"tools/list"}""", session);
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        harness.Log.Lines.ShouldNotContain(l => l.Contains("its POST ended before the response", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_BodyOverLimitWithContentLength_Is413WithJsonRpcError()
    {
        await using var harness = await HttpHostHarness.StartAsync();
        using var request = HttpHostHarness.Request(HttpMethod.Post, harness.Endpoint, HttpHostHarness.Json(Padded(HttpGuards.MaxBodyBytes + 1)));

        // With Expect: 100-continue the refusal arrives before the body is sent, as for any client that asks first;
        // a client that sends the whole body at once may see the connection close while it is still writing.
        request.Headers.ExpectContinue = true;
        using var response = await harness.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        var error = await HttpHostHarness.ReadErrorAsync(response);
        error["code"]!.GetValue<int>().ShouldBe((int)McpErrorCode.InvalidRequest);
        error["message"]!.GetValue<string>().ShouldContain($"at most {HttpGuards.MaxBodyBytes} bytes");
    }

    [Fact]
    public async Task Post_ChunkedBodyOverLimit_Is413()
    {
        await using var harness = await HttpHostHarness.StartAsync();
        var bytes = Encoding.UTF8.GetBytes(Padded(HttpGuards.MaxBodyBytes + 4096));
        using var content = new StreamContent(new UnknownLengthStream(bytes));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await harness.SendAsync(HttpHostHarness.Request(HttpMethod.Post, harness.Endpoint, content));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await HttpHostHarness.ReadErrorAsync(response))["message"]!.GetValue<string>().ShouldStartWith("Payload Too Large");
    }

    [Fact]
    public async Task Post_BodyExactlyAtLimit_IsReadAndJudgedOnItsContent()
    {
        await using var harness = await HttpHostHarness.StartAsync();

        // A valid tools/list of exactly the limit, without a session: refused for the missing session, not for size.
        using var response = await harness.PostAsync(Padded(HttpGuards.MaxBodyBytes));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await HttpHostHarness.ReadErrorAsync(response))["message"]!.GetValue<string>().ShouldContain("Mcp-Session-Id");
    }

    [Theory]
    [InlineData("""[{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26","capabilities":{},"clientInfo":{"name":"b","version":"1"}}}]""")]
    [InlineData("""[{"jsonrpc":"2.0","method":"notifications/initialized"},{"jsonrpc":"2.0","id":2,"method":"tools/list"}]""")]
    [InlineData("[]")]
    public async Task Post_Batch_Is400InvalidRequest(string body)
    {
        await using var harness = await HttpHostHarness.StartAsync();

        using var response = await harness.PostAsync(body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = await HttpHostHarness.ReadErrorAsync(response);
        error["code"]!.GetValue<int>().ShouldBe(-32600);
        error["message"]!.GetValue<string>().ShouldContain("valid JSON-RPC message");
        response.Headers.Contains("Mcp-Session-Id").ShouldBeFalse();
    }

    [Fact]
    public async Task Post_BatchOnExistingSession_IsRefusedAndSessionStillWorks()
    {
        await using var harness = await HttpHostHarness.StartAsync();
        var session = await harness.InitializeAsync();

        using var batch = await harness.PostAsync("""[{"jsonrpc":"2.0","id":2,"method":"tools/list"}]""", session);
        using var single = await harness.PostAsync("""{"jsonrpc":"2.0","id":3,"method":"tools/list"}""", session);

        batch.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        single.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await HttpHostHarness.ReadSseAsync(single))[^1]["id"]!.GetValue<int>().ShouldBe(3);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"} trailing")]
    public async Task Post_NotJson_Is400InvalidRequest(string body)
    {
        await using var harness = await HttpHostHarness.StartAsync();

        using var response = await harness.PostAsync(body);

        // The SDK answers every unreadable body with invalid request (-32600), not JSON-RPC's parse error (-32700).
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = await HttpHostHarness.ReadErrorAsync(response);
        error["code"]!.GetValue<int>().ShouldBe(-32600);
        error["message"]!.GetValue<string>().ShouldContain("valid JSON-RPC message");
        response.Headers.Contains("Mcp-Session-Id").ShouldBeFalse();
    }

    [Theory]
    [InlineData("42")]
    [InlineData("\"initialize\"")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("""{"hello":"world"}""")]
    [InlineData("""{"jsonrpc":"2.0"}""")]
    public async Task Post_JsonButNotJsonRpc_Is400InvalidRequest(string body)
    {
        await using var harness = await HttpHostHarness.StartAsync();

        using var response = await harness.PostAsync(body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = await HttpHostHarness.ReadErrorAsync(response);
        error["code"]!.GetValue<int>().ShouldBe(-32600);
        error["message"]!.GetValue<string>().ShouldStartWith("Bad Request");
    }

    [Fact]
    public async Task Get_SecondStreamOnSession_Is400SayingOneStreamPerSession()
    {
        await using var harness = await HttpHostHarness.StartAsync();
        var session = await harness.InitializeAsync();

        using var first = await harness.SendAsync(HttpHostHarness.Request(HttpMethod.Get, harness.Endpoint, sessionId: session, accept: "text/event-stream"));
        using var second = await harness.SendAsync(HttpHostHarness.Request(HttpMethod.Get, harness.Endpoint, sessionId: session, accept: "text/event-stream"));

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        first.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        second.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await HttpHostHarness.ReadErrorAsync(second))["message"]!.GetValue<string>().ShouldContain("multiple GET requests");
    }

    [Fact]
    public async Task Get_ReopenedAfterTheFirstClosed_IsRefusedNotABrokenStream()
    {
        await using var harness = await HttpHostHarness.StartAsync();
        var session = await harness.InitializeAsync();
        using (var first = await harness.SendAsync(HttpHostHarness.Request(HttpMethod.Get, harness.Endpoint, sessionId: session, accept: "text/event-stream")))
        {
            first.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // The SDK serves one GET stream per session, ever, and says so up front (400) rather than breaking the stream.
        using var again = await harness.SendAsync(HttpHostHarness.Request(HttpMethod.Get, harness.Endpoint, sessionId: session, accept: "text/event-stream"));

        again.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await HttpHostHarness.ReadErrorAsync(again))["message"]!.GetValue<string>().ShouldContain("multiple GET requests");
        using var list = await harness.PostAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/list"}""", session);
        list.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Get_StreamsOfTwoSessions_AreBothServed()
    {
        await using var harness = await HttpHostHarness.StartAsync();
        var one = await harness.InitializeAsync();
        var two = await harness.InitializeAsync();

        using var first = await harness.SendAsync(HttpHostHarness.Request(HttpMethod.Get, harness.Endpoint, sessionId: one, accept: "text/event-stream"));
        using var second = await harness.SendAsync(HttpHostHarness.Request(HttpMethod.Get, harness.Endpoint, sessionId: two, accept: "text/event-stream"));

        one.ShouldNotBe(two);
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("accept-json-only", HttpStatusCode.NotAcceptable)]
    [InlineData("content-type-text", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("no-session", HttpStatusCode.BadRequest)]
    [InlineData("unknown-session", HttpStatusCode.NotFound)]
    [InlineData("bad-protocol-version", HttpStatusCode.BadRequest)]
    [InlineData("other-token", HttpStatusCode.Forbidden)]
    [InlineData("put", HttpStatusCode.MethodNotAllowed)]
    [InlineData("get-without-event-stream", HttpStatusCode.NotAcceptable)]
    [InlineData("get-unknown-session", HttpStatusCode.NotFound)]
    public async Task Request_Refused_HasStatusAndJsonRpcError(string kind, HttpStatusCode expected)
    {
        await using var harness = await HttpHostHarness.StartAsync();
        var session = await harness.InitializeAsync();
        const string List = """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""";
        var request = kind switch
        {
            "accept-json-only" => HttpHostHarness.Request(HttpMethod.Post, harness.Endpoint, HttpHostHarness.Json(List), session, accept: "application/json"),
            "content-type-text" => HttpHostHarness.Request(HttpMethod.Post, harness.Endpoint, HttpHostHarness.Json(List, "text/plain"), session),
            "no-session" => HttpHostHarness.Request(HttpMethod.Post, harness.Endpoint, HttpHostHarness.Json(List)),
            "unknown-session" => HttpHostHarness.Request(HttpMethod.Post, harness.Endpoint, HttpHostHarness.Json(List), "no-such-session"),
            "bad-protocol-version" => HttpHostHarness.Request(HttpMethod.Post, harness.Endpoint, HttpHostHarness.Json(List), session),
            "other-token" => HttpHostHarness.Request(HttpMethod.Post, harness.Endpoint, HttpHostHarness.Json(List), session),
            "put" => HttpHostHarness.Request(HttpMethod.Put, harness.Endpoint, HttpHostHarness.Json(List), session),
            "get-without-event-stream" => HttpHostHarness.Request(HttpMethod.Get, harness.Endpoint, sessionId: session, accept: "application/json"),
            _ => HttpHostHarness.Request(HttpMethod.Get, harness.Endpoint, sessionId: "no-such-session", accept: "text/event-stream"),
        };
        if (kind == "bad-protocol-version")
        {
            request.Headers.Add("MCP-Protocol-Version", "1999-01-01");
        }
        else if (kind == "other-token")
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "someone-else");
        }

        using (request)
        using (var response = await harness.SendAsync(request))
        {
            response.StatusCode.ShouldBe(expected);
            (await HttpHostHarness.ReadErrorAsync(response))["message"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        }
    }

    [Theory]
    [InlineData("2025-03-26")]
    [InlineData("2025-06-18")]
    [InlineData("2025-11-25")]
    public async Task Post_AnySupportedProtocolVersionHeader_IsServed(string version)
    {
        await using var harness = await HttpHostHarness.StartAsync();
        var session = await harness.InitializeAsync(version);
        using var request = HttpHostHarness.Request(HttpMethod.Post, harness.Endpoint, HttpHostHarness.Json("""{"jsonrpc":"2.0","id":2,"method":"tools/list"}"""), session);
        request.Headers.Add("MCP-Protocol-Version", version);

        using var response = await harness.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await HttpHostHarness.ReadSseAsync(response))[^1]["result"]!["tools"]!.AsArray().Count.ShouldBe(8);
    }

    [Theory]
    [InlineData("GET", null, HttpStatusCode.BadRequest)]
    [InlineData("GET", "someone-else", HttpStatusCode.Forbidden)]
    [InlineData("DELETE", "someone-else", HttpStatusCode.Forbidden)]
    public async Task GetOrDelete_WithoutSessionOrWithOtherToken_IsRefused(string method, string? token, HttpStatusCode expected)
    {
        await using var harness = await HttpHostHarness.StartAsync();
        var session = await harness.InitializeAsync();
        using var request = HttpHostHarness.Request(new HttpMethod(method), harness.Endpoint, sessionId: token is null ? null : session, accept: "text/event-stream");
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await harness.SendAsync(request);

        response.StatusCode.ShouldBe(expected);
        (await HttpHostHarness.ReadErrorAsync(response))["message"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
    }

    [Theory]
    [InlineData("evil.example", null, HttpStatusCode.Forbidden)]
    [InlineData(null, "http://evil.example", HttpStatusCode.Forbidden)]
    [InlineData(null, "http://localhost:3000", HttpStatusCode.OK)]
    [InlineData(null, "https://app.example/", HttpStatusCode.OK)]
    [InlineData("mcp.internal", null, HttpStatusCode.OK)]
    [InlineData("localhost", "http://127.0.0.1:9999", HttpStatusCode.OK)]
    [InlineData(null, "null", HttpStatusCode.Forbidden)]
    [InlineData(null, "https://app.example.evil", HttpStatusCode.Forbidden)]
    [InlineData("127.0.0.1.evil.example", null, HttpStatusCode.Forbidden)]
    [InlineData("mcp.internal.evil.example", null, HttpStatusCode.Forbidden)]
    public async Task Post_HostAndOrigin_AreCheckedAgainstLoopbackAndAllowedNames(string? host, string? origin, HttpStatusCode expected)
    {
        await using var harness = await HttpHostHarness.StartAsync(new QuiltMcp.Mcp.McpServeOptions("127.0.0.1:0", ["https://app.example"], ["mcp.internal"]));
        using var request = HttpHostHarness.Request(HttpMethod.Post, harness.Endpoint, HttpHostHarness.Json(HttpHostHarness.InitializeBody));
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await harness.SendAsync(request);

        response.StatusCode.ShouldBe(expected);
    }

    [Theory]
    [InlineData("no-port")]
    [InlineData("127.0.0.1:")]
    [InlineData("127.0.0.1:70000")]
    [InlineData("127.0.0.1:-1")]
    [InlineData("example.com:8080")]
    [InlineData(":8080")]
    public void ParseEndpoint_BadEndpoint_SaysWhatToPass(string endpoint)
    {
        var error = Should.Throw<Quilt.Core.Errors.QuiltException>(() => QuiltMcp.Mcp.McpHttpHost.ParseEndpoint(endpoint));

        error.Kind.ShouldBe(Quilt.Core.Errors.QuiltErrorKind.InvalidInput);
        error.Hint.ShouldNotBeNullOrWhiteSpace();
    }

    [Theory]
    [InlineData("127.0.0.1:8765", "127.0.0.1", 8765)]
    [InlineData("localhost:0", "127.0.0.1", 0)]
    [InlineData("[::1]:9000", "::1", 9000)]
    public void ParseEndpoint_GoodEndpoint_GivesAddressAndPort(string endpoint, string address, int port)
    {
        var (ip, parsedPort, _) = QuiltMcp.Mcp.McpHttpHost.ParseEndpoint(endpoint);

        ip.ToString().ShouldBe(address);
        parsedPort.ShouldBe(port);
    }

    [Theory]
    [InlineData("own", HttpStatusCode.NotFound)]
    [InlineData(null, HttpStatusCode.OK)]
    [InlineData("no-such-session", HttpStatusCode.OK)]
    public async Task Delete_Session_EndsItAndOnlyIt(string? target, HttpStatusCode afterwards)
    {
        await using var harness = await HttpHostHarness.StartAsync();
        var session = await harness.InitializeAsync();

        // DELETE of a session the SDK does not have is done already for it (200, nothing ended).
        using var deleted = await harness.SendAsync(HttpHostHarness.Request(HttpMethod.Delete, harness.Endpoint, sessionId: target == "own" ? session : target));
        using var after = await harness.PostAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/list"}""", session);

        deleted.StatusCode.ShouldBe(HttpStatusCode.OK);
        after.StatusCode.ShouldBe(afterwards);
    }

    [Fact]
    public async Task Post_MalformedChunkedBody_Is400FromTheServer()
    {
        await using var harness = await HttpHostHarness.StartAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, harness.Endpoint.Port, Ct);
        var stream = tcp.GetStream();
        var head = $"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:{harness.Endpoint.Port}\r\nAccept: application/json, text/event-stream\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{{}}\r\n0\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), Ct);

        using var reader = new StreamReader(stream, Encoding.ASCII);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var answer = await reader.ReadToEndAsync(timeout.Token);

        answer.ShouldStartWith("HTTP/1.1 400");
        answer.ShouldContain("\"jsonrpc\":\"2.0\"");
    }

    /// <summary>A valid <c>tools/list</c> request padded with a string parameter to exactly <paramref name="length"/> bytes.</summary>
    private static string Padded(long length)
    {
        const string Prefix = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{\"pad\":\"";
        const string Suffix = "\"}}";
        var body = Prefix + new string('a', (int)length - Prefix.Length - Suffix.Length) + Suffix;
        Encoding.UTF8.GetByteCount(body).ShouldBe((int)length);
        return body;
    }

    private sealed class Progress(Action<ProgressNotificationValue> onReport) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) => onReport(value);
    }

    /// <summary>A body without a known length, so the client sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
