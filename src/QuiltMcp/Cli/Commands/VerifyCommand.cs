using System.CommandLine;
using Quilt.Storage;

namespace QuiltMcp.Cli.Commands;

/// <summary><c>verify</c>: checks a revision's manifest, pointers and entry bytes; fails on any problem.</summary>
internal static class VerifyCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "Package name." };
        var registry = CliOptions.Registry();
        var topHash = new Option<string?>("--top-hash") { Description = "A revision; default latest." };
        var json = CliOptions.Json();
        var command = new Command("verify", "Check a revision: manifest, pointers and every entry's bytes against its hash.") { name, registry, topHash, json };
        command.SetAction(async (parse, ct) =>
        {
            var result = await context.Services().VerifyAsync(parse.GetValue(name)!, StorageLocation.Parse(parse.GetValue(registry)!), parse.GetValue(topHash), ct).ConfigureAwait(false);
            await context.ReportAsync(parse.GetValue(json), result, context.Text.VerifyAsync).ConfigureAwait(false);
            return result.IsValid ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }
}
