using System.Net;
using System.Net.Sockets;
using ModelContextProtocol.Client;
using Quilt.Testing;

namespace QuiltMcp.Tests.Process;

/// <summary>Starts the real <c>quilt-mcp</c> executable as an MCP server and connects the SDK's client to it.</summary>
internal static class QuiltMcpProcess
{
    /// <summary>The built <c>quilt-mcp.dll</c> of the same configuration as the tests.</summary>
    public static string DllPath
    {
        get
        {
            var local = Path.Combine(AppContext.BaseDirectory, "quilt-mcp.dll");
            if (File.Exists(local) && File.Exists(Path.Combine(AppContext.BaseDirectory, "quilt-mcp.runtimeconfig.json")))
            {
                return local;
            }

            var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            var built = Path.Combine(RepoPaths.RepoRoot, "src", "QuiltMcp", "bin", configuration, "net10.0", "quilt-mcp.dll");
            return File.Exists(built) ? built : throw new FileNotFoundException("Build src/QuiltMcp first; quilt-mcp.dll was not found.", built);
        }
    }

    /// <summary>
    /// <c>quilt-mcp serve</c> over stdio with exactly <paramref name="environment"/> on top of the scrubbed parent
    /// environment (<see cref="ChildEnvironment"/>) and a state folder of its own.
    /// </summary>
    public static Task<McpClient> StartStdioAsync(IDictionary<string, string?>? environment = null, CancellationToken cancellationToken = default) =>
        StartStdioAsync(environment, null, cancellationToken);

    /// <summary>The same, scrubbing <paramref name="parent"/> instead of this process's environment (null: this process's).</summary>
    public static Task<McpClient> StartStdioAsync(IDictionary<string, string?>? environment, IReadOnlyDictionary<string, string?>? parent, CancellationToken cancellationToken)
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "quilt-mcp",
            Command = "dotnet",
            Arguments = [DllPath, "serve"],
            InheritEnvironmentVariables = false,
            EnvironmentVariables = ChildEnvironment.Build(environment, ChildEnvironment.NewStateDirectory(), parent),
        });
        return McpClient.CreateAsync(transport, ClientOptions, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The SDK's client first probes with <c>server/discover</c> and, when no answer comes within its probe timeout
    /// (5 seconds), falls back to <c>initialize</c> on the same connection. A server process still starting on a busy
    /// machine answered the probe late, and with SDK 2.3.1 the fallback initialize was refused ("Method 'initialize' is
    /// not available on protocol version '2026-07-28'"). 2.4.0 falls back cleanly, but our server answers
    /// <c>server/discover</c>, so the tests wait for that answer (bounded by the initialization timeout) instead of
    /// depending on how fast a child process starts.
    /// </summary>
    public static McpClientOptions ClientOptions => new() { DiscoverProbeTimeout = Timeout.InfiniteTimeSpan };

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
