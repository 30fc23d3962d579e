using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ModelContextProtocol.Client;

namespace QuiltMcp.Tests.Process;

/// <summary>Drives the real <c>quilt-mcp serve --http</c> process over streamable HTTP with the SDK's client.</summary>
public sealed class McpHttpProcessTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("quilt-mcp-http-").FullName;
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
        _server = System.Diagnostics.Process.Start(info)!;
        _server.ErrorDataReceived += (_, _) => { };
        _server.OutputDataReceived += (_, _) => { };
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
}
