using System.CommandLine;
using Quilt.Storage;

namespace QuiltMcp.Cli.Commands;

/// <summary><c>info</c>: an object's metadata and stored checksums.</summary>
internal static class InfoCommand
{
    public static Command Create(CliContext context)
    {
        var uri = new Argument<string>("URI") { Description = "s3://bucket/key[?versionId=…] or a local file." };
        var json = CliOptions.Json();
        var command = new Command("info", "Show an object's metadata and stored checksums.") { uri, json };
        command.SetAction(async (parse, ct) =>
        {
            var result = await context.Services().GetObjectInfoAsync(StorageLocation.Parse(parse.GetValue(uri)!), ct).ConfigureAwait(false);
            await context.ReportAsync(parse.GetValue(json), result, context.Text.ObjectInfoAsync).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
