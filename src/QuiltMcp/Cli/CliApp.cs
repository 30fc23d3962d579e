using System.CommandLine;
using Quilt.Core.Errors;
using Quilt.Packaging;
using QuiltMcp.Cli.Commands;

namespace QuiltMcp.Cli;

/// <summary>
/// The <c>quilt-mcp</c> command line (DESIGN.md §6): a thin shell that parses arguments, calls the same services
/// the MCP tools call, and prints their result records (as JSON with <c>--json</c>). Exit codes: 0 success,
/// 1 operation failed, 2 usage error. Each command is defined in its own file under <c>Cli/Commands</c>; the
/// human-readable output is <see cref="TextRenderer"/>'s.
/// </summary>
internal static class CliApp
{
    /// <summary>Runs the CLI with the console and the environment's services.</summary>
    public static Task<int> RunAsync(string[] args) =>
        RunAsync(args, new Output(Console.Out, Console.Error), () => AppServices.CreateDirect(), CancellationToken.None);

    /// <summary>Runs the CLI with the given writers and services (tests call this in-process).</summary>
    public static async Task<int> RunAsync(string[] args, Output output, Func<DirectQuiltOperations> services, CancellationToken cancellationToken)
    {
        var root = BuildRoot(new CliContext(output, services));
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await output.Error.WriteLineAsync($"usage error: {error.Message}").ConfigureAwait(false);
            }

            await output.Error.WriteLineAsync("Run 'quilt-mcp --help' (or 'quilt-mcp COMMAND --help') for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // Ctrl-C cancels the action's token; a create then rolls back, which may take a while on a large run.
        var configuration = new InvocationConfiguration { Output = output.Out, Error = output.Error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TimeSpan.FromMinutes(2) };
        try
        {
            return await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (QuiltException e)
        {
            return output.Fail(e);
        }
        catch (OperationCanceledException)
        {
            await output.Error.WriteLineAsync("error: cancelled.").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
    }

    /// <summary>The root command with every subcommand, in the order <c>--help</c> lists them.</summary>
    private static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand("quilt-mcp: create Quilt packages straight from S3 contents (or local folders), and serve the same operations to AI assistants over MCP.");
        Command[] commands =
        [
            ServeCommandLine.Create(context), LsCommand.Create(context), InfoCommand.Create(context), CreateFromS3Command.Create(context),
            CreateCommand.Create(context), BrowseCommand.Create(context), ListCommand.Create(context), DiffCommand.Create(context),
            VerifyCommand.Create(context), TopHashCommand.Create(context), HashCommand.Create(context), CleanupCommand.Create(context),
        ];
        foreach (var command in commands)
        {
            root.Subcommands.Add(command);
        }

        return root;
    }
}
