using System.CommandLine;
using QuiltMcp.Mcp;

namespace QuiltMcp.Cli.Commands;

/// <summary><c>serve</c>: the options of the MCP server command; <see cref="ServeCommand"/> runs the server.</summary>
internal static class ServeCommandLine
{
    public static Command Create(CliContext context)
    {
        var http = new Option<string?>("--http") { Description = "Serve streamable HTTP at http://HOST:PORT/mcp instead of stdio (loopback unless told otherwise)." };
        var origins = new Option<string[]>("--allowed-origin") { Description = "An extra Origin allowed to call the HTTP server (repeatable).", AllowMultipleArgumentsPerToken = false };
        var hosts = new Option<string[]>("--allowed-host") { Description = "An extra Host header value allowed (repeatable).", AllowMultipleArgumentsPerToken = false };
        var mode = new Option<string?>("--mode") { Description = "direct (your AWS credentials) or catalog (a Quilt catalog token); default: QUILT_MODE, else catalog when QUILT_CATALOG_URL and QUILT_JWT are set." };
        mode.AcceptOnlyFromAmong("direct", "catalog", "auto");
        var idle = new Option<int>("--session-idle-minutes") { Description = "Over HTTP, end a session after this many minutes without a request or an open stream.", DefaultValueFactory = _ => 120 };
        idle.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--session-idle-minutes must be at least 1.");
            }
        });
        var command = new Command("serve", "Run the MCP server (stdio by default).") { http, mode, origins, hosts, idle };
        command.SetAction((parse, ct) => ServeCommand.RunAsync(
            context.Services,
            new McpServeOptions(parse.GetValue(http), parse.GetValue(origins) ?? [], parse.GetValue(hosts) ?? []) { SessionIdleTimeout = TimeSpan.FromMinutes(parse.GetValue(idle)) },
            parse.GetValue(mode),
            context.Output,
            ct));
        return command;
    }
}
