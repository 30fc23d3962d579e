using Quilt.Packaging;
using Quilt.Packaging.Contracts;

namespace QuiltMcp.Cli.Commands;

/// <summary>What every command's action needs: where to write, and the services to call (created per invocation).</summary>
/// <param name="Output">Where results (stdout) and messages (stderr) go.</param>
/// <param name="Services">Creates the direct-mode operations; called by the action, so parsing alone touches no store.</param>
internal sealed record CliContext(Output Output, Func<DirectQuiltOperations> Services)
{
    /// <summary>The text renderer over <see cref="Output"/>.</summary>
    public TextRenderer Text { get; } = new(Output);

    /// <summary>Prints a result: as JSON (the MCP tool's structured content) with <c>--json</c>, else as text.</summary>
    public async Task ReportAsync<T>(bool json, T result, Func<T, Task> asText)
    {
        if (json)
        {
            Output.Json(result);
        }
        else
        {
            await asText(result).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a create with progress on stderr (quiet under <c>--json</c>), then prints its result.</summary>
    public async Task<int> CreateAsync(bool json, Func<IProgress<ProgressUpdate>, Task<PackageCreateResult>> run)
    {
        var result = await ProgressRenderer.RunAsync(Output, json, run).ConfigureAwait(false);
        await ReportAsync(json, result, Text.CreateResultAsync).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
