using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using Quilt.Testing;

namespace QuiltMcp.Tests.Process;

/// <summary>Drives the real <c>quilt-mcp serve --http</c> process over streamable HTTP with the SDK's client.</summary>
public sealed class McpHttpProcessTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("quilt-mcp-http-").FullName;
    private readonly ConcurrentQueue<string> _serverLog = new();
    private System.Diagnostics.Process? _server;
    private int _port;

    private Uri Endpoint => new($"http://127.0.0.1:{_port}/mcp");

    public async ValueTask InitializeAsync()
    {
        _port = QuiltMcpProcess.FreePort();
        var info = new ProcessStartInfo("dotnet", [QuiltMcpProcess.DllPath, "serve", "--http", $"127.0.0.1:{_port}"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };

        // One transfer at a time makes a creation of thousands of objects slow enough to cancel half-way.
        ChildEnvironment.Apply(info, new Dictionary<string, string?> { ["QUILT_CONCURRENCY"] = "1" }, ChildEnvironment.NewStateDirectory());
        _server = System.Diagnostics.Process.Start(info)!;
        _server.ErrorDataReceived += (_, e) => Log(e.Data);
        _server.OutputDataReceived += (_, e) => Log(e.Data);
        _server.BeginErrorReadLine();
        _server.BeginOutputReadLine();
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, _port);
                return;
            }
            catch (SocketException)
            {
                if (_server.HasExited)
                {
                    throw new InvalidOperationException($"quilt-mcp serve --http exited with {_server.ExitCode}");
                }

                await Task.Delay(100);
            }
        }

        throw new TimeoutException("quilt-mcp serve --http did not listen on port " + _port);
    }

    [Fact]
    public async Task ToolsListAndCall_OverHttp_Work()
    {
        var ct = TestContext.Current.CancellationToken;
        var source = Path.Combine(_root, "src");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "a.csv"), "x\n1\n");
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = Endpoint }), cancellationToken: ct);

        var tools = await client.ListToolsAsync(cancellationToken: ct);
        tools.Count.ShouldBe(8);

        var created = await client.CallToolAsync(
            "package_create_from_s3",
            new Dictionary<string, object?>
            {
                ["source_bucket"] = new Uri(source).AbsoluteUri,
                ["package_name"] = "http/test",
                ["target_registry"] = new Uri(Path.Combine(_root, "reg")).AbsoluteUri,
            },
            cancellationToken: ct);
        created.IsError.ShouldNotBe(true);

        var browse = await client.CallToolAsync(
            "package_browse",
            new Dictionary<string, object?> { ["package_name"] = "http/test", ["registry"] = new Uri(Path.Combine(_root, "reg")).AbsoluteUri },
            cancellationToken: ct);
        browse.StructuredContent!.Value.GetProperty("entries").GetArrayLength().ShouldBe(1);
    }

    [Theory]
    [InlineData("evil.example", null)]
    [InlineData(null, "http://evil.example")]
    public async Task Post_ForeignHostOrOrigin_IsForbidden(string? host, string? origin)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint)
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task PackageCreateFromS3_ClientCancelsOverHttp_ServerRollsBackAndStaysHealthy()
    {
        var ct = TestContext.Current.CancellationToken;
        var source = Path.Combine(_root, "src");
        var registry = Path.Combine(_root, "reg");
        Directory.CreateDirectory(source);
        for (var i = 0; i < 3000; i++)
        {
            File.WriteAllText(Path.Combine(source, $"f{i:0000}.bin"), new string('y', 2048));
        }

        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = Endpoint }), cancellationToken: ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);

        // Cancel as soon as progress arrives: the run is then listing or hashing, with 3,000 copies ahead. The SDK's
        // HTTP client sends no notifications/cancelled; cancelling only aborts the POST that carries the call.
        var progress = new SyncProgress(_ => cts.Cancel());
        await Should.ThrowAsync<OperationCanceledException>(() => client.CallToolAsync(
            "package_create_from_s3",
            new Dictionary<string, object?>
            {
                ["source_bucket"] = new Uri(source).AbsoluteUri,
                ["package_name"] = "http/cancel",
                ["target_registry"] = new Uri(registry).AbsoluteUri,
                ["copy"] = "all",
            },
            progress,
            cancellationToken: cts.Token).AsTask());

        // The server logs when the call's handler has ended by cancellation (after the pipeline's rollback). A server
        // that ignored the aborted POST would instead finish the package, so a manifest appearing fails at once.
        for (var i = 0; !_serverLog.Any(l => l.Contains("package_create_from_s3", StringComparison.Ordinal) && l.Contains("ended by cancellation", StringComparison.Ordinal)); i++)
        {
            RegistryFiles(registry).ShouldNotContain(f => f.Contains(".quilt", StringComparison.Ordinal), "the server completed the package although the client cancelled the call");
            i.ShouldBeLessThan(900, "the server never logged the end of the cancelled call:\n" + string.Join("\n", _serverLog));
            await Task.Delay(100, ct);
        }

        _serverLog.ShouldContain(l => l.Contains("its POST ended before the response", StringComparison.Ordinal));

        RegistryFiles(registry).ShouldBeEmpty();

        // Still healthy: the same session and a new one both answer.
        (await client.ListToolsAsync(cancellationToken: ct)).Count.ShouldBe(8);
        await using var second = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = Endpoint }), cancellationToken: ct);
        (await second.ListToolsAsync(cancellationToken: ct)).Count.ShouldBe(8);
    }

    public ValueTask DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            _server.WaitForExit(5000);
        }

        _server?.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }

    private static List<string> RegistryFiles(string registry) =>
        Directory.Exists(registry) ? [.. Directory.EnumerateFiles(registry, "*", SearchOption.AllDirectories)] : [];

    private void Log(string? line)
    {
        if (line is not null)
        {
            _serverLog.Enqueue(line);
        }
    }

    private sealed class SyncProgress(Action<ProgressNotificationValue> onReport) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) => onReport(value);
    }
}
