using System.CommandLine;
using Quilt.Storage;

namespace QuiltMcp.Cli.Commands;

/// <summary><c>browse</c>: a package revision's entries.</summary>
internal static class BrowseCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "Package name, namespace/name." };
        var registry = CliOptions.Registry();
        var topHash = new Option<string?>("--top-hash") { Description = "A revision (full hash or unique prefix); default latest." };
        var json = CliOptions.Json();
        var command = new Command("browse", "Show a package revision's entries.") { name, registry, topHash, json };
        command.SetAction(async (parse, ct) =>
        {
            var result = await context.Services().BrowseAsync(parse.GetValue(name)!, StorageLocation.Parse(parse.GetValue(registry)!), parse.GetValue(topHash), ct).ConfigureAwait(false);
            await context.ReportAsync(parse.GetValue(json), result, context.Text.BrowseAsync).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
