using System.CommandLine;
using Quilt.Packaging.Contracts;
using Quilt.Storage;

namespace QuiltMcp.Cli.Commands;

/// <summary><c>create-from-s3</c>: a package from a bucket prefix (or a local folder), selected by globs.</summary>
internal static class CreateFromS3Command
{
    public static Command Create(CliContext context)
    {
        var source = new Argument<string>("SOURCE_URI") { Description = "s3://bucket[/prefix] or a local folder." };
        var name = new Option<string>("--name") { Description = "Package name, namespace/name.", Required = true };
        var registry = CliOptions.Registry();
        var targetBucket = new Option<string?>("--target-bucket") { Description = "Where copies go (default: the registry bucket)." };
        var include = new Option<string[]>("--include") { Description = "Glob of paths to include, relative to the prefix (repeatable)." };
        var exclude = new Option<string[]>("--exclude") { Description = "Glob of paths to exclude (repeatable; beats --include)." };
        var flatten = new Option<bool>("--flatten") { Description = "Name entries by file name only (collisions are errors)." };
        var copy = CliOptions.Copy("auto (copy what is not in the target bucket), all, or none.");
        var message = CliOptions.Message();
        var meta = CliOptions.Meta();
        var noObjectMeta = new Option<bool>("--no-object-meta") { Description = "Do not copy S3 object metadata onto entries." };
        var workflow = new Option<string?>("--workflow") { Description = "Workflow id (default: the registry's default workflow)." };
        var noWorkflow = new Option<bool>("--no-workflow") { Description = "Explicitly use no workflow." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Plan and validate, print the plan, write nothing." };
        var force = new Option<bool>("--force") { Description = "Overwrite latest even if someone else changed it during the run." };
        var json = CliOptions.Json();
        var command = new Command("create-from-s3", "Create a package from a bucket prefix (or a local folder).")
        {
            source, name, registry, targetBucket, include, exclude, flatten, copy, message, meta, noObjectMeta, workflow, noWorkflow, dryRun, force, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var request = new CreateFromS3Request
            {
                Source = StorageLocation.Parse(parse.GetValue(source)!),
                PackageName = parse.GetValue(name)!,
                TargetRegistry = StorageLocation.Parse(parse.GetValue(registry)!),
                TargetBucket = parse.GetValue(targetBucket) is { } bucket ? StorageLocation.Parse(bucket) : null,
                IncludePatterns = parse.GetValue(include) ?? [],
                ExcludePatterns = parse.GetValue(exclude) ?? [],
                PreserveStructure = !parse.GetValue(flatten),
                Copy = CliOptions.ParseCopy(parse.GetValue(copy)),
                Message = parse.GetValue(message),
                Metadata = CliOptions.ParseMeta(parse.GetValue(meta)),
                PreserveMetadata = !parse.GetValue(noObjectMeta),
                Workflow = CliOptions.Workflow(parse.GetValue(workflow), parse.GetValue(noWorkflow)),
                DryRun = parse.GetValue(dryRun),
                Force = parse.GetValue(force),
            };
            var ops = context.Services();
            return await context.CreateAsync(parse.GetValue(json), p => ops.CreateFromS3Async(request, p, ct)).ConfigureAwait(false);
        });
        return command;
    }
}
