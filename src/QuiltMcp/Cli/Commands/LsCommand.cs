using System.CommandLine;
using Quilt.Packaging;
using Quilt.Packaging.Contracts;
using Quilt.Storage;

namespace QuiltMcp.Cli.Commands;

/// <summary><c>ls</c>: list one level of a bucket prefix or folder (or, with <c>-r</c>, everything below it).</summary>
internal static class LsCommand
{
    public static Command Create(CliContext context)
    {
        var uri = new Argument<string>("URI") { Description = "s3://bucket[/prefix] or a local folder." };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "List every object below the prefix, not just one level." };
        var json = CliOptions.Json();
        var command = new Command("ls", "List objects in a bucket or folder.") { uri, recursive, json };
        command.SetAction(async (parse, ct) =>
        {
            var ops = context.Services();
            // One rule for both forms (StorageLocation.Parse): a bare word such as "samples" is the local folder.
            var target = StorageLocation.Parse(parse.GetValue(uri)!);
            var result = parse.GetValue(recursive)
                ? await ListAllAsync(ops, target, ct).ConfigureAwait(false)
                : await ListOneLevelAsync(ops, target, ct).ConfigureAwait(false);
            await context.ReportAsync(parse.GetValue(json), result, context.Text.ObjectsAsync).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<BucketObjectsListResult> ListAllAsync(DirectQuiltOperations ops, StorageLocation target, CancellationToken cancellationToken)
    {
        var objects = new List<BucketObjectView>();
        await foreach (var o in ops.ListAllObjectsAsync(target, cancellationToken).ConfigureAwait(false))
        {
            objects.Add(o);
        }

        return new BucketObjectsListResult(Shown(target), target.Key, objects, [], null, false);
    }

    private static async Task<BucketObjectsListResult> ListOneLevelAsync(DirectQuiltOperations ops, StorageLocation target, CancellationToken cancellationToken)
    {
        // One level below a prefix that names a folder: s3://b/data lists what is in data/.
        if (target.Key.Length > 0 && !target.Key.EndsWith('/'))
        {
            target = target.WithKey(target.Key + "/");
        }

        var objects = new List<BucketObjectView>();
        var prefixes = new List<string>();
        string? token = null;
        do
        {
            var page = await ops.ListObjectsAsync(target, "/", 1000, token, cancellationToken).ConfigureAwait(false);
            objects.AddRange(page.Objects);
            prefixes.AddRange(page.CommonPrefixes);
            token = page.NextContinuationToken;
        }
        while (token is not null);
        return new BucketObjectsListResult(Shown(target), target.Key, objects, prefixes, null, false);
    }

    /// <summary>The listing's bucket as the MCP tool shows it: the bucket name, or the folder's file:// URI.</summary>
    private static string Shown(StorageLocation target) => target.IsS3 ? target.Bucket : target.WithKey("").ToString();
}
