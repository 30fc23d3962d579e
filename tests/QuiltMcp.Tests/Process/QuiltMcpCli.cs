using System.Collections.Concurrent;
using System.Diagnostics;
using Quilt.Testing;

namespace QuiltMcp.Tests.Process;

/// <summary>
/// The real <c>quilt-mcp</c> CLI as a child process (<c>dotnet quilt-mcp.dll ARGS</c>) with a scrubbed environment
/// (<see cref="ChildEnvironment"/>) plus exactly the variables a test gives. Everything it prints is kept.
/// </summary>
internal sealed class QuiltMcpCli : IDisposable
{
    private readonly System.Diagnostics.Process _process;

    private QuiltMcpCli(System.Diagnostics.Process process, IReadOnlyDictionary<string, string?> environment)
    {
        _process = process;
        Environment = environment;
    }

    /// <summary>Every line written to stdout.</summary>
    public ConcurrentQueue<string> Out { get; } = new();

    /// <summary>Every line written to stderr.</summary>
    public ConcurrentQueue<string> Error { get; } = new();

    /// <summary>The environment the child was started with.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Both streams, for failure messages.</summary>
    public string Transcript => string.Join('\n', Out) + "\n--- stderr ---\n" + string.Join('\n', Error);

    /// <summary>
    /// The environment S3 children of the tests get: moto's endpoint (or a proxy's), its fake keys and region, and
    /// the given state folder.
    /// </summary>
    public static Dictionary<string, string?> S3Environment(string endpoint, string stateDirectory, int? concurrency = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["AWS_ENDPOINT_URL"] = endpoint,
            ["AWS_ACCESS_KEY_ID"] = MotoServer.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = MotoServer.SecretAccessKey,
            ["AWS_REGION"] = MotoServer.Region,
            ["QUILT_MCP_STATE_DIR"] = stateDirectory,
        };
        if (concurrency is { } c)
        {
            environment["QUILT_CONCURRENCY"] = c.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return environment;
    }

    /// <summary>
    /// Starts the CLI. <paramref name="poisonParent"/> may add variables to the inherited environment before it is
    /// scrubbed, as if the test process had been started with them. <paramref name="workingDirectory"/> is the child's
    /// current folder (relative paths on its command line are taken from there).
    /// </summary>
    public static QuiltMcpCli Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, Action<IDictionary<string, string?>>? poisonParent = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(QuiltMcpProcess.DllPath);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        poisonParent?.Invoke(info.Environment);
        ChildEnvironment.Apply(info, environment, environment.ContainsKey("QUILT_MCP_STATE_DIR") ? null : ChildEnvironment.NewStateDirectory());
        var process = new System.Diagnostics.Process { StartInfo = info, EnableRaisingEvents = true };
        var cli = new QuiltMcpCli(process, new Dictionary<string, string?>(info.Environment));
        process.OutputDataReceived += (_, e) => Keep(cli.Out, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(cli.Error, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Runs the CLI to its end and returns it (exited).</summary>
    public static async Task<QuiltMcpCli> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, Action<IDictionary<string, string?>>? poisonParent = null, string? workingDirectory = null, CancellationToken cancellationToken = default)
    {
        var cli = Start(arguments, environment, poisonParent, workingDirectory);
        try
        {
            await cli.WaitForExitAsync(TimeSpan.FromSeconds(120), cancellationToken);
            return cli;
        }
        catch
        {
            cli.Dispose();
            throw;
        }
    }

    /// <summary>Completes when the child has exited.</summary>
    public Task ExitedAsync(CancellationToken cancellationToken = default) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Waits for the exit, then for the output to be drained.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        try
        {
            await _process.WaitForExitAsync(cancellationToken).WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"quilt-mcp did not exit within {timeout.TotalSeconds:0} s:\n{Transcript}");
        }

        _process.WaitForExit(); // drains the redirected streams
    }

    /// <summary><c>kill -9</c> of the child and everything it started; returns once it is gone.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private static void Keep(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }
}
