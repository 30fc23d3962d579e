using System.CommandLine;
using System.Text;
using Quilt.Core.Errors;
using Quilt.Core.Hashing;
using Quilt.Core.Json;
using Quilt.Core.Manifests;
using Quilt.Packaging;
using Quilt.Packaging.Contracts;

namespace QuiltMcp.Cli;

/// <summary>
/// The <c>quilt-mcp</c> command line (DESIGN.md §6): a thin shell that parses arguments, calls the same services
/// the MCP tools call, and prints their result records (as JSON with <c>--json</c>). Exit codes: 0 success,
/// 1 operation failed, 2 usage error.
/// </summary>
internal static class CliApp
{
    /// <summary>Runs the CLI with the console and the environment's services.</summary>
    public static Task<int> RunAsync(string[] args) =>
        RunAsync(args, new Output(Console.Out, Console.Error), () => AppServices.CreateDirect(), CancellationToken.None);

    /// <summary>Runs the CLI with the given writers and services (tests call this in-process).</summary>
    public static async Task<int> RunAsync(string[] args, Output output, Func<DirectQuiltOperations> services, CancellationToken cancellationToken)
    {
        var commands = new Commands(output, services);
        var root = commands.Build();
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await output.Error.WriteLineAsync($"usage error: {error.Message}").ConfigureAwait(false);
            }

            await output.Error.WriteLineAsync("Run 'quilt-mcp --help' (or 'quilt-mcp COMMAND --help') for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // Ctrl-C cancels the action's token; a create then rolls back, which may take a while on a large run.
        var configuration = new InvocationConfiguration { Output = output.Out, Error = output.Error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TimeSpan.FromMinutes(2) };
        try
        {
            return await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (QuiltException e)
        {
            return output.Fail(e);
        }
        catch (OperationCanceledException)
        {
            await output.Error.WriteLineAsync("error: cancelled.").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
    }

    /// <summary>Parses <c>--meta</c>: a JSON object.</summary>
    internal static QuiltJsonValue? ParseMeta(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        QuiltJsonValue value;
        try
        {
            value = JsonText.Parse(text);
        }
        catch (QuiltException e)
        {
            throw QuiltException.InvalidInput($"--meta is not valid JSON: {e.Message}", "Pass a JSON object, e.g. --meta '{\"project\": \"x\"}'.");
        }

        return value;
    }

    internal static CopyMode ParseCopy(string? text) => text?.ToLowerInvariant() switch
    {
        null or "" or "auto" => CopyMode.Auto,
        "all" => CopyMode.All,
        "none" => CopyMode.None,
        _ => throw QuiltException.InvalidInput($"--copy must be auto, all or none, not '{text}'."),
    };

    private sealed class Commands(Output output, Func<DirectQuiltOperations> services)
    {
        private readonly Option<bool> _json = new("--json") { Description = "Print the result as JSON (the MCP tool's structured content)." };

        public RootCommand Build()
        {
            var root = new RootCommand("quilt-mcp: create Quilt packages straight from S3 contents (or local folders), and serve the same operations to AI assistants over MCP.");
            root.Subcommands.Add(Serve());
            root.Subcommands.Add(Ls());
            root.Subcommands.Add(Info());
            root.Subcommands.Add(CreateFromS3());
            root.Subcommands.Add(Create());
            root.Subcommands.Add(Browse());
            root.Subcommands.Add(List());
            root.Subcommands.Add(Diff());
            root.Subcommands.Add(Verify());
            root.Subcommands.Add(TopHash());
            root.Subcommands.Add(Hash());
            root.Subcommands.Add(Cleanup());
            return root;
        }

        private static Option<string> Registry() => new("--registry") { Description = "The registry: s3://bucket, or a local folder.", Required = true };

        private Command Serve()
        {
            var http = new Option<string?>("--http") { Description = "Serve streamable HTTP at http://HOST:PORT/mcp instead of stdio (loopback unless told otherwise)." };
            var origins = new Option<string[]>("--allowed-origin") { Description = "An extra Origin allowed to call the HTTP server (repeatable).", AllowMultipleArgumentsPerToken = false };
            var hosts = new Option<string[]>("--allowed-host") { Description = "An extra Host header value allowed (repeatable).", AllowMultipleArgumentsPerToken = false };
            var mode = new Option<string?>("--mode") { Description = "direct (your AWS credentials) or catalog (a Quilt catalog token); default: QUILT_MODE, else catalog when QUILT_CATALOG_URL and QUILT_JWT are set." };
            mode.AcceptOnlyFromAmong("direct", "catalog", "auto");
            var idle = new Option<int>("--session-idle-minutes") { Description = "Over HTTP, end a session after this many minutes without a request or an open stream.", DefaultValueFactory = _ => 120 };
            idle.Validators.Add(result =>
            {
                if (result.GetValueOrDefault<int>() < 1)
                {
                    result.AddError("--session-idle-minutes must be at least 1.");
                }
            });
            var command = new Command("serve", "Run the MCP server (stdio by default).") { http, mode, origins, hosts, idle };
            command.SetAction((parse, ct) => ServeCommand.RunAsync(
                services,
                new QuiltMcp.Mcp.McpServeOptions(parse.GetValue(http), parse.GetValue(origins) ?? [], parse.GetValue(hosts) ?? []) { SessionIdleTimeout = TimeSpan.FromMinutes(parse.GetValue(idle)) },
                parse.GetValue(mode),
                output,
                ct));
            return command;
        }

        private Command Ls()
        {
            var uri = new Argument<string>("URI") { Description = "s3://bucket[/prefix] or a local folder." };
            var recursive = new Option<bool>("--recursive", "-r") { Description = "List every object below the prefix, not just one level." };
            var command = new Command("ls", "List objects in a bucket or folder.") { uri, recursive, _json };
            command.SetAction(async (parse, ct) =>
            {
                var ops = services();
                var target = parse.GetValue(uri)!;
                BucketObjectsListResult result;
                if (parse.GetValue(recursive))
                {
                    var objects = new List<BucketObjectView>();
                    await foreach (var o in ops.ListAllObjectsAsync(target, ct).ConfigureAwait(false))
                    {
                        objects.Add(o);
                    }

                    var (bucket, prefix) = SplitUri(target);
                    result = new BucketObjectsListResult(bucket, prefix, objects, [], null, false);
                }
                else
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
                        var page = await ops.ListObjectsAsync(bucket, prefix, "/", 1000, token, ct).ConfigureAwait(false);
                        objects.AddRange(page.Objects);
                        prefixes.AddRange(page.CommonPrefixes);
                        token = page.NextContinuationToken;
                    }
                    while (token is not null);
                    result = new BucketObjectsListResult(bucket, prefix, objects, prefixes, null, false);
                }

                if (parse.GetValue(_json))
                {
                    output.Json(result);
                }
                else
                {
                    foreach (var p in result.CommonPrefixes)
                    {
                        await output.Out.WriteLineAsync($"{"PRE",28} {p}").ConfigureAwait(false);
                    }

                    foreach (var o in result.Objects)
                    {
                        await output.Out.WriteLineAsync($"{o.LastModified?.UtcDateTime:yyyy-MM-dd HH:mm:ss} {o.Size,12} {o.Key}").ConfigureAwait(false);
                    }
                }

                return ExitCodes.Success;
            });
            return command;
        }

        private Command Info()
        {
            var uri = new Argument<string>("URI") { Description = "s3://bucket/key[?versionId=…] or a local file." };
            var command = new Command("info", "Show an object's metadata and stored checksums.") { uri, _json };
            command.SetAction(async (parse, ct) =>
            {
                var result = await services().GetObjectInfoAsync(parse.GetValue(uri)!, ct).ConfigureAwait(false);
                if (parse.GetValue(_json))
                {
                    output.Json(result);
                    return ExitCodes.Success;
                }

                var text = new StringBuilder();
                text.AppendLine($"uri:           {result.Uri}");
                text.AppendLine($"size:          {result.Size}");
                text.AppendLine($"content type:  {result.ContentType}");
                text.AppendLine($"etag:          {result.ETag}");
                text.AppendLine($"last modified: {result.LastModified:O}");
                text.AppendLine($"version:       {result.VersionId}");
                text.AppendLine($"storage class: {result.StorageClass}");
                foreach (var (k, v) in result.UserMetadata)
                {
                    text.AppendLine($"meta {k}: {v}");
                }

                foreach (var (k, v) in result.Checksums)
                {
                    text.AppendLine($"checksum {k}: {v}");
                }

                await output.Out.WriteAsync(text.ToString()).ConfigureAwait(false);
                return ExitCodes.Success;
            });
            return command;
        }

        private Command CreateFromS3()
        {
            var source = new Argument<string>("SOURCE_URI") { Description = "s3://bucket[/prefix] or a local folder." };
            var name = new Option<string>("--name") { Description = "Package name, namespace/name.", Required = true };
            var registry = Registry();
            var targetBucket = new Option<string?>("--target-bucket") { Description = "Where copies go (default: the registry bucket)." };
            var include = new Option<string[]>("--include") { Description = "Glob of paths to include, relative to the prefix (repeatable)." };
            var exclude = new Option<string[]>("--exclude") { Description = "Glob of paths to exclude (repeatable; beats --include)." };
            var flatten = new Option<bool>("--flatten") { Description = "Name entries by file name only (collisions are errors)." };
            var copy = new Option<string>("--copy") { Description = "auto (copy what is not in the target bucket), all, or none.", DefaultValueFactory = _ => "auto" };
            copy.AcceptOnlyFromAmong("auto", "all", "none");
            var message = new Option<string?>("--message", "-m") { Description = "Commit message." };
            var meta = new Option<string?>("--meta") { Description = "Package metadata, a JSON object." };
            var noObjectMeta = new Option<bool>("--no-object-meta") { Description = "Do not copy S3 object metadata onto entries." };
            var workflow = new Option<string?>("--workflow") { Description = "Workflow id (default: the registry's default workflow)." };
            var noWorkflow = new Option<bool>("--no-workflow") { Description = "Explicitly use no workflow." };
            var dryRun = new Option<bool>("--dry-run") { Description = "Plan and validate, print the plan, write nothing." };
            var force = new Option<bool>("--force") { Description = "Overwrite latest even if someone else changed it during the run." };
            var command = new Command("create-from-s3", "Create a package from a bucket prefix (or a local folder).")
            {
                source, name, registry, targetBucket, include, exclude, flatten, copy, message, meta, noObjectMeta, workflow, noWorkflow, dryRun, force, _json,
            };
            command.SetAction(async (parse, ct) =>
            {
                var request = new CreateFromS3Request
                {
                    SourceUri = parse.GetValue(source)!,
                    PackageName = parse.GetValue(name)!,
                    TargetRegistry = parse.GetValue(registry)!,
                    TargetBucket = parse.GetValue(targetBucket),
                    IncludePatterns = parse.GetValue(include) ?? [],
                    ExcludePatterns = parse.GetValue(exclude) ?? [],
                    PreserveStructure = !parse.GetValue(flatten),
                    Copy = ParseCopy(parse.GetValue(copy)),
                    Message = parse.GetValue(message),
                    Metadata = ParseMeta(parse.GetValue(meta)),
                    PreserveMetadata = !parse.GetValue(noObjectMeta),
                    Workflow = Workflow(parse.GetValue(workflow), parse.GetValue(noWorkflow)),
                    DryRun = parse.GetValue(dryRun),
                    Force = parse.GetValue(force),
                };
                var ops = services();
                var result = await ProgressRenderer.RunAsync(output, parse.GetValue(_json), p => ops.CreateFromS3Async(request, p, ct)).ConfigureAwait(false);
                await PrintCreateResultAsync(result, parse.GetValue(_json)).ConfigureAwait(false);
                return ExitCodes.Success;
            });
            return command;
        }

        private Command Create()
        {
            var uris = new Argument<string[]>("URI") { Description = "Object URIs (s3://bucket/key or local files).", Arity = ArgumentArity.OneOrMore };
            var name = new Option<string>("--name") { Description = "Package name, namespace/name.", Required = true };
            var registry = Registry();
            var message = new Option<string?>("--message", "-m") { Description = "Commit message." };
            var meta = new Option<string?>("--meta") { Description = "Package metadata, a JSON object." };
            var copy = new Option<string>("--copy") { Description = "auto, all, or none.", DefaultValueFactory = _ => "auto" };
            copy.AcceptOnlyFromAmong("auto", "all", "none");
            var dryRun = new Option<bool>("--dry-run") { Description = "Plan and validate, write nothing." };
            var force = new Option<bool>("--force") { Description = "Overwrite latest even if it changed during the run." };
            var command = new Command("create", "Create a package from explicit object URIs (entries named by file name).") { uris, name, registry, message, meta, copy, dryRun, force, _json };
            command.SetAction(async (parse, ct) =>
            {
                var request = new CreatePackageRequest
                {
                    PackageName = parse.GetValue(name)!,
                    TargetRegistry = parse.GetValue(registry)!,
                    Files = parse.GetValue(uris) ?? [],
                    Message = parse.GetValue(message),
                    Metadata = ParseMeta(parse.GetValue(meta)),
                    Copy = ParseCopy(parse.GetValue(copy)),
                    DryRun = parse.GetValue(dryRun),
                    Force = parse.GetValue(force),
                };
                var ops = services();
                var result = await ProgressRenderer.RunAsync(output, parse.GetValue(_json), p => ops.CreateAsync(request, p, ct)).ConfigureAwait(false);
                await PrintCreateResultAsync(result, parse.GetValue(_json)).ConfigureAwait(false);
                return ExitCodes.Success;
            });
            return command;
        }

        private Command Browse()
        {
            var name = new Argument<string>("NAME") { Description = "Package name, namespace/name." };
            var registry = Registry();
            var topHash = new Option<string?>("--top-hash") { Description = "A revision (full hash or unique prefix); default latest." };
            var command = new Command("browse", "Show a package revision's entries.") { name, registry, topHash, _json };
            command.SetAction(async (parse, ct) =>
            {
                var result = await services().BrowseAsync(parse.GetValue(name)!, parse.GetValue(registry)!, parse.GetValue(topHash), ct).ConfigureAwait(false);
                if (parse.GetValue(_json))
                {
                    output.Json(result);
                    return ExitCodes.Success;
                }

                await output.Out.WriteLineAsync($"{result.PackageName}@{result.TopHash} in {result.Registry}").ConfigureAwait(false);
                await output.Out.WriteLineAsync($"message: {result.Message ?? "(none)"}").ConfigureAwait(false);
                if (result.Metadata is not null)
                {
                    await output.Out.WriteLineAsync($"metadata: {JsonText.Serialize(result.Metadata)}").ConfigureAwait(false);
                }

                foreach (var e in result.Entries)
                {
                    await output.Out.WriteLineAsync($"{e.Size,12}  {e.LogicalKey}").ConfigureAwait(false);
                }

                await output.Out.WriteLineAsync($"{result.Entries.Count} entries, {result.TotalBytes} bytes").ConfigureAwait(false);
                return ExitCodes.Success;
            });
            return command;
        }

        private Command List()
        {
            var registry = Registry();
            var command = new Command("list", "List the packages of a registry.") { registry, _json };
            command.SetAction(async (parse, ct) =>
            {
                var result = await services().ListPackagesAsync(parse.GetValue(registry)!, ct).ConfigureAwait(false);
                if (parse.GetValue(_json))
                {
                    output.Json(result);
                    return ExitCodes.Success;
                }

                foreach (var p in result.Packages)
                {
                    await output.Out.WriteLineAsync($"{p.PackageName,-40} {p.LatestTopHash?[..12] ?? "-",-12} {p.Revisions,4} revisions  {p.LastModified?.UtcDateTime:yyyy-MM-dd HH:mm:ss}").ConfigureAwait(false);
                }

                return ExitCodes.Success;
            });
            return command;
        }

        private Command Cleanup()
        {
            var registry = Registry();
            var command = new Command("cleanup", "Remove what interrupted (killed) runs left in a registry, from their journals, and abort abandoned multipart uploads.") { registry, _json };
            command.SetAction(async (parse, ct) =>
            {
                var result = await services().CleanupAsync(parse.GetValue(registry)!, ct).ConfigureAwait(false);
                if (parse.GetValue(_json))
                {
                    output.Json(result);
                    return result.Leftovers.Count == 0 ? ExitCodes.Success : ExitCodes.Failed;
                }

                await output.Out.WriteLineAsync(
                    $"{result.RunsFound} interrupted or running run(s) found in {result.StateDirectory ?? "(no state folder)"}; {result.RunsStillRunning} still running (left alone); {result.RunsCleaned} cleaned: {result.ObjectsRemoved} object(s) removed, {result.UploadsAborted} upload(s) aborted.").ConfigureAwait(false);
                foreach (var left in result.Leftovers.Take(20))
                {
                    await output.Error.WriteLineAsync($"still there: {left}").ConfigureAwait(false);
                }

                return result.Leftovers.Count == 0 ? ExitCodes.Success : ExitCodes.Failed;
            });
            return command;
        }

        private Command Diff()
        {
            var name = new Argument<string>("NAME") { Description = "Package name." };
            var a = new Argument<string>("HASH_A") { Description = "The first revision." };
            var b = new Argument<string>("HASH_B") { Description = "The second revision." };
            var registry = Registry();
            var command = new Command("diff", "Compare two revisions of a package.") { name, a, b, registry, _json };
            command.SetAction(async (parse, ct) =>
            {
                var result = await services().DiffAsync(parse.GetValue(name)!, parse.GetValue(registry)!, parse.GetValue(a)!, parse.GetValue(b)!, ct).ConfigureAwait(false);
                if (parse.GetValue(_json))
                {
                    output.Json(result);
                    return ExitCodes.Success;
                }

                foreach (var k in result.Added)
                {
                    await output.Out.WriteLineAsync($"+ {k}").ConfigureAwait(false);
                }

                foreach (var k in result.Removed)
                {
                    await output.Out.WriteLineAsync($"- {k}").ConfigureAwait(false);
                }

                foreach (var k in result.Modified)
                {
                    await output.Out.WriteLineAsync($"M {k}").ConfigureAwait(false);
                }

                if (result.MetadataChanged)
                {
                    await output.Out.WriteLineAsync("package metadata or message changed").ConfigureAwait(false);
                }

                return ExitCodes.Success;
            });
            return command;
        }

        private Command Verify()
        {
            var name = new Argument<string>("NAME") { Description = "Package name." };
            var registry = Registry();
            var topHash = new Option<string?>("--top-hash") { Description = "A revision; default latest." };
            var command = new Command("verify", "Check a revision: manifest, pointers and every entry's bytes against its hash.") { name, registry, topHash, _json };
            command.SetAction(async (parse, ct) =>
            {
                var result = await services().VerifyAsync(parse.GetValue(name)!, parse.GetValue(registry)!, parse.GetValue(topHash), ct).ConfigureAwait(false);
                if (parse.GetValue(_json))
                {
                    output.Json(result);
                }
                else
                {
                    foreach (var problem in result.Problems)
                    {
                        await output.Error.WriteLineAsync(problem).ConfigureAwait(false);
                    }

                    await output.Out.WriteLineAsync(result.IsValid
                        ? $"OK: {result.PackageName}@{result.TopHash}, {result.EntriesChecked} entries verified"
                        : $"FAILED: {result.PackageName}@{result.TopHash}, {result.Problems.Count} problem(s)").ConfigureAwait(false);
                }

                return result.IsValid ? ExitCodes.Success : ExitCodes.Failed;
            });
            return command;
        }

        private Command TopHash()
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
                await output.Out.WriteLineAsync(manifest.ComputeTopHash()).ConfigureAwait(false);
                return ExitCodes.Success;
            });
            return command;
        }

        private Command Hash()
        {
            var uri = new Argument<string>("FILE_OR_URI") { Description = "A local file or s3://bucket/key." };
            var type = new Option<string>("--type") { Description = "sha2-256-chunked (default), SHA256 or CRC64NVME.", DefaultValueFactory = _ => QuiltHashTypes.Sha256Chunked };
            type.AcceptOnlyFromAmong(QuiltHashTypes.Sha256Chunked, QuiltHashTypes.Sha256, QuiltHashTypes.Crc64Nvme);
            var command = new Command("hash", "Print an object's quilt hash, obtained server-side where S3 allows.") { uri, type, _json };
            command.SetAction(async (parse, ct) =>
            {
                var result = await services().HashObjectAsync(parse.GetValue(uri)!, parse.GetValue(type)!, ct).ConfigureAwait(false);
                if (parse.GetValue(_json))
                {
                    output.Json(result);
                }
                else
                {
                    await output.Out.WriteLineAsync(result.HashValue).ConfigureAwait(false);
                    await output.Error.WriteLineAsync($"{result.HashType} of {result.Uri} ({result.Size} bytes) by {result.Step}, {result.Requests.Total} request(s)").ConfigureAwait(false);
                }

                return ExitCodes.Success;
            });
            return command;
        }

        private static WorkflowChoice Workflow(string? id, bool none) =>
            none ? WorkflowChoice.None : string.IsNullOrEmpty(id) ? WorkflowChoice.Default : WorkflowChoice.Named(id);

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

        private async Task PrintCreateResultAsync(PackageCreateResult result, bool json)
        {
            if (json)
            {
                output.Json(result);
                return;
            }

            var text = new StringBuilder();
            if (result.DryRun)
            {
                text.AppendLine($"Dry run: {result.PackageName} in {result.Registry} would have {result.Entries} entries, {result.TotalBytes:N0} bytes; nothing was written.");
                foreach (var entry in result.Plan ?? [])
                {
                    text.AppendLine($"  {(entry.WillCopy ? "copy" : "ref "),-4} {entry.Size,12:N0}  {entry.LogicalKey}  <- {entry.Source}");
                }

                if (result.PlanTruncated)
                {
                    text.AppendLine("  … (plan truncated)");
                }
            }
            else
            {
                text.AppendLine($"Created {result.PackageName}@{result.TopHash}");
                text.AppendLine($"  registry:   {result.Registry}");
                text.AppendLine($"  uri:        {result.Uri}");
                if (result.CatalogUrl is not null)
                {
                    text.AppendLine($"  catalog:    {result.CatalogUrl}");
                }

                text.AppendLine($"  entries:    {result.Entries:N0} ({result.TotalBytes:N0} bytes): {result.ObjectsCopied:N0} copied, {result.ObjectsReferenced:N0} referenced in place");
                text.AppendLine($"  hashes:     {string.Join(", ", result.HashesByStep.Select(p => $"{p.Key} {p.Value}"))}");
            }

            text.AppendLine($"  skipped:    {result.Skipped.FolderMarkers} folder markers, {result.Skipped.Excluded} excluded");
            text.AppendLine($"  requests:   {result.Requests.Total} ({string.Join(", ", result.Requests.ByOperation.Select(p => $"{p.Key} {p.Value}"))})");
            foreach (var warning in result.Warnings)
            {
                text.AppendLine($"  warning:    {warning}");
            }

            text.AppendLine($"  elapsed:    {result.ElapsedSeconds:0.###} s");
            await output.Out.WriteAsync(text.ToString()).ConfigureAwait(false);
        }
    }
}
