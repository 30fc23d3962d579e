using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using QuiltMcp.Mcp;

namespace QuiltMcp.Tests.Mcp;

/// <summary>
/// <see cref="McpHttpHost"/> in this process on a free loopback port, with <see cref="BlockingQuiltOperations"/> and a
/// plain <see cref="HttpClient"/> to exercise the transport's status codes and headers.
/// </summary>
internal sealed class HttpHostHarness : IAsyncDisposable
{
    public const string InitializeBody = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""";

    /// <summary>An <c>initialize</c> asking for <paramref name="protocolVersion"/>.</summary>
    public static string InitializeBodyFor(string protocolVersion) => InitializeBody.Replace("2025-06-18", protocolVersion, StringComparison.Ordinal);

    public const string CreateCallBody = """{"jsonrpc":"2.0","id":"call-7","method":"tools/call","params":{"name":"package_create_from_s3","arguments":{"source_bucket":"src","package_name":"team/data","target_registry":"s3://registry"},"_meta":{"progressToken":"p-7"}}}""";

    private readonly ILoggerFactory _loggerFactory;

    private HttpHostHarness(McpHttpHost host, ILoggerFactory loggerFactory, ListLoggerProvider log, BlockingQuiltOperations operations)
    {
        Host = host;
        _loggerFactory = loggerFactory;
        Log = log;
        Operations = operations;
        Client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
    }

    public McpHttpHost Host { get; }

    public ListLoggerProvider Log { get; }

    public BlockingQuiltOperations Operations { get; }

    public HttpClient Client { get; }

    public Uri Endpoint => Host.Endpoint;

    public static async Task<HttpHostHarness> StartAsync(McpServeOptions? options = null, TimeProvider? time = null)
    {
        var log = new ListLoggerProvider();
        var loggerFactory = LoggerFactory.Create(b => McpServe.AddLogFilters(b.SetMinimumLevel(LogLevel.Debug)).AddProvider(log));
        var operations = new BlockingQuiltOperations();
        var host = await McpHttpHost.StartAsync(_ => operations, options ?? new McpServeOptions("127.0.0.1:0", [], []), loggerFactory, time, TestContext.Current.CancellationToken);
        return new HttpHostHarness(host, loggerFactory, log, operations);
    }

    public static HttpRequestMessage Request(HttpMethod method, Uri endpoint, HttpContent? content = null, string? sessionId = null, string accept = "application/json, text/event-stream")
    {
        var request = new HttpRequestMessage(method, endpoint) { Content = content };
        if (accept.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        if (sessionId is not null)
        {
            request.Headers.Add("Mcp-Session-Id", sessionId);
        }

        return request;
    }

    public static StringContent Json(string body, string contentType = "application/json")
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) =>
        Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);

    public Task<HttpResponseMessage> PostAsync(string body, string? sessionId = null) => SendAsync(Request(HttpMethod.Post, Endpoint, Json(body), sessionId));

    /// <summary>A POST the test aborts by cancelling <paramref name="abort"/>, as the SDK's client does to cancel a call.</summary>
    public async Task<string> PostAbortableAsync(string body, string sessionId, CancellationToken abort)
    {
        using var response = await Client.SendAsync(Request(HttpMethod.Post, Endpoint, Json(body), sessionId), HttpCompletionOption.ResponseHeadersRead, abort);
        return await response.Content.ReadAsStringAsync(abort);
    }

    /// <summary>Initializes a session (initialize + initialized) and returns its id.</summary>
    public async Task<string> InitializeAsync(string protocolVersion = "2025-06-18")
    {
        using var response = await PostAsync(InitializeBodyFor(protocolVersion));
        response.EnsureSuccessStatusCode();
        var sessionId = response.Headers.GetValues("Mcp-Session-Id").Single();
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("\"serverInfo\"");
        using var initialized = await PostAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""", sessionId);
        initialized.StatusCode.ShouldBe(System.Net.HttpStatusCode.Accepted);
        return sessionId;
    }

    /// <summary>The JSON-RPC messages of an SSE answer.</summary>
    public static async Task<List<JsonNode>> ReadSseAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return [.. body.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => JsonNode.Parse(l[6..])!)];
    }

    /// <summary>The JSON-RPC error object of a refusal, after checking it is JSON.</summary>
    public static async Task<JsonNode> ReadErrorAsync(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        json["jsonrpc"]!.GetValue<string>().ShouldBe("2.0");
        return json["error"]!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        _loggerFactory.Dispose();
    }
}
