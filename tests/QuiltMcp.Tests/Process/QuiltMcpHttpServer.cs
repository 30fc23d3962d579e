using System.Collections.Concurrent;
using System.Diagnostics;
using ModelContextProtocol.Client;
using Quilt.Testing;

namespace QuiltMcp.Tests.Process;

/// <summary>
/// The real <c>quilt-mcp serve --http 127.0.0.1:0</c> as a child process with a controlled environment
/// (<see cref="ChildEnvironment"/>): every <c>AWS_*</c> and <c>QUILT_*</c> variable of the test process is removed
/// before the given ones are set, so the server has exactly the configuration a test means. Everything it prints (stdout and stderr) is kept for assertions.
/// </summary>
internal sealed class QuiltMcpHttpServer : IAsyncDisposable
{
    private const string ServingPrefix = "quilt-mcp: serving MCP (streamable HTTP, ";
    private readonly System.Diagnostics.Process _process;
    private readonly TaskCompletionSource<Uri> _endpoint = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private QuiltMcpHttpServer(System.Diagnostics.Process process) => _process = process;

    /// <summary>The MCP endpoint (<c>http://127.0.0.1:PORT/mcp</c>) the server announced.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Every line the server wrote to stdout or stderr.</summary>
    public ConcurrentQueue<string> Output { get; } = new();

    /// <summary>The environment the child got (after removing the test process's AWS_* and QUILT_* variables).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; private set; } = new Dictionary<string, string?>();

    public static Task<QuiltMcpHttpServer> StartAsync(IReadOnlyDictionary<string, string?> environment, IEnumerable<string> arguments, CancellationToken cancellationToken = default) =>
        StartDllAsync(QuiltMcpProcess.DllPath, environment, arguments, cancellationToken);

    /// <summary>
    /// Another server built on quilt-mcp's HTTP hosting (the conformance fixture host): <paramref name="dll"/> must
    /// announce its endpoint on stderr as quilt-mcp does.
    /// </summary>
    public static async Task<QuiltMcpHttpServer> StartDllAsync(string dll, IReadOnlyDictionary<string, string?> environment, IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        ChildEnvironment.Apply(info, environment, ChildEnvironment.NewStateDirectory());

        var process = new System.Diagnostics.Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new QuiltMcpHttpServer(process) { Environment = new Dictionary<string, string?>(info.Environment) };
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.Exited += (_, _) => server._endpoint.TrySetException(new InvalidOperationException($"quilt-mcp exited with {process.ExitCode}:\n{string.Join('\n', server.Output)}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            server.Endpoint = await server._endpoint.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>An SDK client on the streamable HTTP endpoint; with a token, every request carries <c>Authorization: Bearer</c>.</summary>
    public Task<McpClient> ConnectAsync(string? token, CancellationToken cancellationToken = default)
    {
        var options = new HttpClientTransportOptions
        {
            Endpoint = Endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            Name = "quilt-mcp-http",
        };
        if (token is not null)
        {
            options.AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token };
        }

        return McpClient.CreateAsync(new HttpClientTransport(options), cancellationToken: cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        Output.Enqueue(line);
        if (line.Contains(ServingPrefix, StringComparison.Ordinal) && line.LastIndexOf(" at ", StringComparison.Ordinal) is var url and > 0
            && Uri.TryCreate(line[(url + 4)..].Trim(), UriKind.Absolute, out var endpoint))
        {
            _endpoint.TrySetResult(endpoint);
        }
    }
}
