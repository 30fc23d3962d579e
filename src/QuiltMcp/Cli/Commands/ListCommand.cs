using System.CommandLine;
using Quilt.Storage;

namespace QuiltMcp.Cli.Commands;

/// <summary><c>list</c>: the packages of a registry.</summary>
internal static class ListCommand
{
    public static Command Create(CliContext context)
    {
        var registry = CliOptions.Registry();
        var json = CliOptions.Json();
        var command = new Command("list", "List the packages of a registry.") { registry, json };
        command.SetAction(async (parse, ct) =>
        {
            var result = await context.Services().ListPackagesAsync(StorageLocation.Parse(parse.GetValue(registry)!), ct).ConfigureAwait(false);
            await context.ReportAsync(parse.GetValue(json), result, context.Text.PackagesAsync).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
