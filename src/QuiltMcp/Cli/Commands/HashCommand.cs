using System.CommandLine;
using Quilt.Core.Hashing;
using Quilt.Storage;

namespace QuiltMcp.Cli.Commands;

/// <summary><c>hash</c>: an object's quilt hash, obtained server-side where S3 allows.</summary>
internal static class HashCommand
{
    public static Command Create(CliContext context)
    {
        var uri = new Argument<string>("FILE_OR_URI") { Description = "A local file or s3://bucket/key." };
        var type = new Option<string>("--type") { Description = "sha2-256-chunked (default), SHA256 or CRC64NVME.", DefaultValueFactory = _ => QuiltHashTypes.Sha256Chunked };
        type.AcceptOnlyFromAmong(QuiltHashTypes.Sha256Chunked, QuiltHashTypes.Sha256, QuiltHashTypes.Crc64Nvme);
        var json = CliOptions.Json();
        var command = new Command("hash", "Print an object's quilt hash, obtained server-side where S3 allows.") { uri, type, json };
        command.SetAction(async (parse, ct) =>
        {
            var result = await context.Services().HashObjectAsync(StorageLocation.Parse(parse.GetValue(uri)!), parse.GetValue(type)!, ct).ConfigureAwait(false);
            await context.ReportAsync(parse.GetValue(json), result, context.Text.HashAsync).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
