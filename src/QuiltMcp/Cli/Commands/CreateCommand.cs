using System.CommandLine;
using Quilt.Packaging.Contracts;
using Quilt.Storage;

namespace QuiltMcp.Cli.Commands;

/// <summary><c>create</c>: a package from explicit object URIs, entries named by file name.</summary>
internal static class CreateCommand
{
    public static Command Create(CliContext context)
    {
        var uris = new Argument<string[]>("URI") { Description = "Object URIs (s3://bucket/key or local files).", Arity = ArgumentArity.OneOrMore };
        var name = new Option<string>("--name") { Description = "Package name, namespace/name.", Required = true };
        var registry = CliOptions.Registry();
        var message = CliOptions.Message();
        var meta = CliOptions.Meta();
        var copy = CliOptions.Copy("auto, all, or none.");
        var dryRun = new Option<bool>("--dry-run") { Description = "Plan and validate, write nothing." };
        var force = new Option<bool>("--force") { Description = "Overwrite latest even if it changed during the run." };
        var json = CliOptions.Json();
        var command = new Command("create", "Create a package from explicit object URIs (entries named by file name).") { uris, name, registry, message, meta, copy, dryRun, force, json };
        command.SetAction(async (parse, ct) =>
        {
            var request = new CreatePackageRequest
            {
                PackageName = parse.GetValue(name)!,
                TargetRegistry = StorageLocation.Parse(parse.GetValue(registry)!),
                Files = (parse.GetValue(uris) ?? []).Select(StorageLocation.Parse).ToList(),
                Message = parse.GetValue(message),
                Metadata = CliOptions.ParseMeta(parse.GetValue(meta)),
                Copy = CliOptions.ParseCopy(parse.GetValue(copy)),
                DryRun = parse.GetValue(dryRun),
                Force = parse.GetValue(force),
            };
            var ops = context.Services();
            return await context.CreateAsync(parse.GetValue(json), p => ops.CreateAsync(request, p, ct)).ConfigureAwait(false);
        });
        return command;
    }
}
