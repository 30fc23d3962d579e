using Quilt.Catalog;
using Quilt.Packaging;
using Quilt.Packaging.Contracts;
using QuiltMcp.Mcp;

namespace QuiltMcp.Cli;

/// <summary>
/// <c>quilt-mcp serve</c>: the MCP server over stdio, or streamable HTTP with <c>--http HOST:PORT</c>; in direct mode
/// (the caller's AWS credentials) or catalog mode (a Quilt catalog token: <c>QUILT_JWT</c> on stdio, each HTTP
/// session's <c>Authorization</c> header over HTTP).
/// </summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(Func<DirectQuiltOperations> services, McpServeOptions serveOptions, string? modeOption, Output output, CancellationToken cancellationToken)
    {
        var http = serveOptions.HttpEndpoint;
        var catalogOptions = CatalogOptions.FromEnvironment();
        var mode = QuiltModeSelector.Resolve(modeOption, catalogOptions);
        using var loggerFactory = McpServe.CreateLoggerFactory();
        using var catalog = mode == QuiltMode.Catalog ? new CatalogConnection(catalogOptions, loggerFactory: loggerFactory) : null;
        if (http is null)
        {
            IQuiltOperations operations = catalog is null ? services() : catalog.ForToken(catalogOptions.Token);
            return await McpServe.RunStdioAsync(operations, cancellationToken).ConfigureAwait(false);
        }

        Func<string?, IQuiltOperations> factory;
        if (catalog is null)
        {
            var direct = services();
            factory = _ => direct;
        }
        else
        {
            factory = catalog.CreateFactory();
        }

        var host = await McpHttpHost.StartAsync(factory, serveOptions, loggerFactory, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (host.ConfigureAwait(false))
        {
            await output.Error.WriteLineAsync($"quilt-mcp: serving MCP (streamable HTTP, {mode.ToString().ToLowerInvariant()} mode) at {host.Endpoint}").ConfigureAwait(false);
            await McpHttpHost.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }
}
