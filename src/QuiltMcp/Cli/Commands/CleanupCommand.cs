using System.CommandLine;
using Quilt.Storage;

namespace QuiltMcp.Cli.Commands;

/// <summary><c>cleanup</c>: removes what killed runs left in a registry; fails while anything is still there.</summary>
internal static class CleanupCommand
{
    public static Command Create(CliContext context)
    {
        var registry = CliOptions.Registry();
        var json = CliOptions.Json();
        var command = new Command("cleanup", "Remove what interrupted (killed) runs left in a registry, from their journals, and abort abandoned multipart uploads.") { registry, json };
        command.SetAction(async (parse, ct) =>
        {
            var result = await context.Services().CleanupAsync(StorageLocation.Parse(parse.GetValue(registry)!), ct).ConfigureAwait(false);
            await context.ReportAsync(parse.GetValue(json), result, context.Text.CleanupAsync).ConfigureAwait(false);
            return result.Leftovers.Count == 0 ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }
}
