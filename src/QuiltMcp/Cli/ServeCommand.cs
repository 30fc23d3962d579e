using Quilt.Packaging;

namespace QuiltMcp.Cli;

/// <summary><c>quilt-mcp serve</c>: the MCP server over stdio, or streamable HTTP with <c>--http HOST:PORT</c>.</summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(Func<DirectQuiltOperations> services, string? http, string[] allowedOrigins, string[] allowedHosts, Output output, CancellationToken cancellationToken)
    {
        _ = (services, http, allowedOrigins, allowedHosts);
        await output.Error.WriteLineAsync("error: the MCP server is not wired in yet.".AsMemory(), cancellationToken).ConfigureAwait(false);
        return ExitCodes.Failed;
    }
}
