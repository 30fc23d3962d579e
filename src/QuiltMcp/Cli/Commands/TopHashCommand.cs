using System.CommandLine;
using Quilt.Core.Errors;
using Quilt.Core.Manifests;

namespace QuiltMcp.Cli.Commands;

/// <summary><c>tophash</c>: the top hash of a local manifest file (no store involved).</summary>
internal static class TopHashCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("MANIFEST_FILE") { Description = "A manifest (JSON Lines) file." };
        var command = new Command("tophash", "Print the top hash of a manifest file.") { file };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw QuiltException.NotFound($"The file {path} does not exist.");
            }

            var bytes = await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false);
            var manifest = ManifestReader.Read(bytes);
            await context.Output.Out.WriteLineAsync(manifest.ComputeTopHash()).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
