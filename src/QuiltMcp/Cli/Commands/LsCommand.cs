using System.CommandLine;
using Quilt.Packaging;
using Quilt.Packaging.Contracts;

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
            var target = parse.GetValue(uri)!;
            var result = parse.GetValue(recursive)
                ? await ListAllAsync(ops, target, ct).ConfigureAwait(false)
                : await ListOneLevelAsync(ops, target, ct).ConfigureAwait(false);
            await context.ReportAsync(parse.GetValue(json), result, context.Text.ObjectsAsync).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<BucketObjectsListResult> ListAllAsync(DirectQuiltOperations ops, string target, CancellationToken cancellationToken)
    {
        var objects = new List<BucketObjectView>();
        await foreach (var o in ops.ListAllObjectsAsync(target, cancellationToken).ConfigureAwait(false))
        {
            objects.Add(o);
        }

        var (bucket, prefix) = SplitUri(target);
        return new BucketObjectsListResult(bucket, prefix, objects, [], null, false);
    }

    private static async Task<BucketObjectsListResult> ListOneLevelAsync(DirectQuiltOperations ops, string target, CancellationToken cancellationToken)
    {
        var (bucket, prefix) = SplitUri(target);
        if (prefix.Length > 0 && !prefix.EndsWith('/') && !bucket.StartsWith('/'))
        {
            prefix += "/";
        }

        var objects = new List<BucketObjectView>();
        var prefixes = new List<string>();
        string? token = null;
        do
        {
            var page = await ops.ListObjectsAsync(bucket, prefix, "/", 1000, token, cancellationToken).ConfigureAwait(false);
            objects.AddRange(page.Objects);
            prefixes.AddRange(page.CommonPrefixes);
            token = page.NextContinuationToken;
        }
        while (token is not null);
        return new BucketObjectsListResult(bucket, prefix, objects, prefixes, null, false);
    }

    private static (string Bucket, string Prefix) SplitUri(string uri)
    {
        if (uri.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            var rest = uri[5..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            return slash < 0 ? (rest, "") : (rest[..slash], rest[(slash + 1)..]);
        }

        return (uri, "");
    }
}
