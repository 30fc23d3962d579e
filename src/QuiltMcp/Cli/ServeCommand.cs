using Quilt.Packaging;
using QuiltMcp.Mcp;

namespace QuiltMcp.Cli;

/// <summary><c>quilt-mcp serve</c>: the MCP server over stdio, or streamable HTTP with <c>--http HOST:PORT</c>.</summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(Func<DirectQuiltOperations> services, string? http, string[] allowedOrigins, string[] allowedHosts, Output output, CancellationToken cancellationToken)
    {
        var operations = services();
        if (http is null)
        {
            return await McpServe.RunStdioAsync(operations, cancellationToken).ConfigureAwait(false);
        }

        using var loggerFactory = McpServe.CreateLoggerFactory();
        var host = await McpHttpHost.StartAsync(operations, new McpServeOptions(http, allowedOrigins, allowedHosts), loggerFactory, cancellationToken).ConfigureAwait(false);
        await using (host.ConfigureAwait(false))
        {
            await output.Error.WriteLineAsync($"quilt-mcp: serving MCP (streamable HTTP) at {host.Endpoint}").ConfigureAwait(false);
            await McpHttpHost.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }
}
