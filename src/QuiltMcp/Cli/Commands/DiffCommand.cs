using System.CommandLine;
using Quilt.Storage;

namespace QuiltMcp.Cli.Commands;

/// <summary><c>diff</c>: compares two revisions of a package.</summary>
internal static class DiffCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "Package name." };
        var a = new Argument<string>("HASH_A") { Description = "The first revision." };
        var b = new Argument<string>("HASH_B") { Description = "The second revision." };
        var registry = CliOptions.Registry();
        var json = CliOptions.Json();
        var command = new Command("diff", "Compare two revisions of a package.") { name, a, b, registry, json };
        command.SetAction(async (parse, ct) =>
        {
            var result = await context.Services().DiffAsync(parse.GetValue(name)!, StorageLocation.Parse(parse.GetValue(registry)!), parse.GetValue(a)!, parse.GetValue(b)!, ct).ConfigureAwait(false);
            await context.ReportAsync(parse.GetValue(json), result, context.Text.DiffAsync).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
