using System.ComponentModel;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Quilt.Core.Errors;
using Quilt.Core.Json;
using Quilt.Packaging.Contracts;
using Quilt.Storage;

namespace QuiltMcp.Mcp;

/// <summary>
/// The MCP tools: thin shells over <see cref="IQuiltOperations"/>, returning the same records as the CLI's
/// <c>--json</c> as structured content. Parameter names are snake_case as DESIGN.md §5 fixes them.
/// </summary>
[McpServerToolType]
#pragma warning disable CA1707 // MCP parameter names are snake_case by contract.
internal sealed class QuiltTools(IQuiltOperations operations, ILogger<QuiltTools> logger)
{
    [McpServerTool(Name = "package_create_from_s3", Title = "Create a Quilt package from an S3 prefix", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = true, UseStructuredContent = true, OutputSchemaType = typeof(PackageCreateResult))]
    [Description("Creates a versioned Quilt package from objects already in S3: lists source_bucket/source_prefix, keeps the objects that match include_patterns and not exclude_patterns (globs on the path relative to the prefix; '*' stays in a folder, '**' crosses folders, a pattern without '/' matches file names at any depth), and writes a manifest to target_registry. Hashes are obtained server-side (no download); with copy='all' (or 'auto' for objects outside the registry bucket) objects are copied server-side to <namespace>/<name>/<path> in the registry bucket. Each entry keeps the object's S3 metadata. Nothing is written if validation fails, and a failure or cancellation rolls back everything the run wrote. Use dry_run=true first to see the plan. Returns the top hash, a quilt+s3:// URI, counts, and the S3 requests made.")]
    public Task<CallToolResult> PackageCreateFromS3(
        [Description("The bucket holding the data (a name, or s3://bucket); a file:// URI selects a local folder instead.")] string source_bucket,
        [Description("Package name, 'namespace/name' (letters, digits, '_' and '-').")] string package_name,
        [Description("The registry to write the package to: s3://bucket or a bucket name (file:// for a local registry).")] string target_registry,
        RequestContext<CallToolRequestParams> context,
        [Description("Only objects under this prefix; a prefix not ending in '/' is cut back to its last '/' when computing entry paths. Default: the whole bucket.")] string source_prefix = "",
        [Description("Bucket that copies go to; default: the registry bucket.")] string? target_bucket = null,
        [Description("Describes the package; used as the commit message when 'message' is not given.")] string description = "",
        [Description("Globs of paths (relative to the prefix) to include; default: everything.")] string[]? include_patterns = null,
        [Description("Globs of paths to exclude; exclude beats include.")] string[]? exclude_patterns = null,
        [Description("true (default): entries keep their folders below the prefix; false: entries are named by file name only, and two objects with one name are an error.")] bool preserve_structure = true,
        [Description("Package-level metadata, a JSON object (at most 1 MB).")] JsonElement? metadata = null,
        [Description("Commit message; defaults to the description.")] string? message = null,
        [Description("'auto' (default): copy objects not already in the target bucket; 'all': copy every object; 'none': reference objects where they are (versions pinned).")] string copy = "auto",
        [Description("Keep each object's S3 metadata (user metadata, content type, ETag, version) on its entry. Default true.")] bool preserve_metadata = true,
        [Description("Workflow id of the registry's workflows config; omit for the registry's default; null or \"\" for none.")] string? workflow = null,
        [Description("Plan and validate only; returns the planned entries and writes nothing.")] bool dry_run = false,
        [Description("Overwrite the package's 'latest' even if someone else changed it during this run.")] bool force = false,
        IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default) =>
        ToolResults.RunAsync(logger, "package_create_from_s3", () =>
        {
            var request = new CreateFromS3Request
            {
                Source = Source(source_bucket, source_prefix),
                PackageName = package_name,
                TargetRegistry = Bucket(target_registry, "target_registry"),
                TargetBucket = string.IsNullOrWhiteSpace(target_bucket) ? null : Bucket(target_bucket, "target_bucket"),
                Description = description ?? "",
                IncludePatterns = include_patterns ?? [],
                ExcludePatterns = exclude_patterns ?? [],
                PreserveStructure = preserve_structure,
                Metadata = Metadata(metadata),
                Message = message,
                Copy = Copy(copy),
                PreserveMetadata = preserve_metadata,
                Workflow = Workflow(context, workflow),
                DryRun = dry_run,
                Force = force,
            };
            return operations.CreateFromS3Async(request, Bridge(progress), cancellationToken);
        }, Summarize);

    [McpServerTool(Name = "package_create", Title = "Create a Quilt package from object URIs", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = true, UseStructuredContent = true, OutputSchemaType = typeof(PackageCreateResult))]
    [Description("Creates a Quilt package from an explicit list of S3 objects ('files', s3://bucket/key URIs; each entry is named by its file name). To package local files, first get an upload URL with bucket_object_upload_url and upload them; to package a whole prefix use package_create_from_s3. Same validation, copying and rollback as package_create_from_s3.")]
    public Task<CallToolResult> PackageCreate(
        [Description("Package name, 'namespace/name'.")] string package_name,
        [Description("The registry: s3://bucket or a bucket name.")] string target_registry,
        RequestContext<CallToolRequestParams> context,
        [Description("The objects: s3://bucket/key[?versionId=...] URIs. Required.")] string[]? files = null,
        [Description("Describes the package; the commit message when 'message' is not given.")] string description = "",
        [Description("Package-level metadata, a JSON object.")] JsonElement? metadata = null,
        [Description("Commit message.")] string? message = null,
        [Description("'auto' (default), 'all' or 'none', as in package_create_from_s3.")] string copy = "auto",
        [Description("Workflow id; omit for the registry default; null or \"\" for none.")] string? workflow = null,
        IProgress<ProgressNotificationValue>? progress = null,
        CancellationToken cancellationToken = default) =>
        ToolResults.RunAsync(logger, "package_create", () => operations.CreateAsync(
            new CreatePackageRequest
            {
                PackageName = package_name,
                TargetRegistry = Bucket(target_registry, "target_registry"),
                Files = (files ?? []).Select(StorageLocation.Parse).ToList(),
                Description = description ?? "",
                Metadata = Metadata(metadata),
                Message = message,
                Copy = Copy(copy),
                Workflow = Workflow(context, workflow),
            },
            Bridge(progress),
            cancellationToken), Summarize);

    [McpServerTool(Name = "bucket_objects_list", Title = "List objects in a bucket", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = true, UseStructuredContent = true, OutputSchemaType = typeof(BucketObjectsListResult))]
    [Description("Lists one page of objects in an S3 bucket (keys, sizes, ETags, last-modified). Use delimiter '/' to see one folder level (sub-folders come back as common_prefixes), and pass next_continuation_token back as continuation_token for the next page. Read-only.")]
    public Task<CallToolResult> BucketObjectsList(
        [Description("Bucket name or s3://bucket.")] string bucket,
        [Description("Only keys starting with this prefix.")] string prefix = "",
        [Description("Group keys by this delimiter (usually '/').")] string? delimiter = null,
        [Description("Page size, 1 to 1000 (default 1000).")] int max_keys = 1000,
        [Description("Token from the previous page's next_continuation_token.")] string? continuation_token = null,
        CancellationToken cancellationToken = default) =>
        ToolResults.RunAsync(logger, "bucket_objects_list", () => operations.ListObjectsAsync(Bucket(bucket, "bucket").Below(prefix), delimiter, max_keys, continuation_token, cancellationToken),
            r => $"{r.Objects.Count} objects, {r.CommonPrefixes.Count} prefixes{(r.IsTruncated ? "; more pages: pass next_continuation_token" : "")}.");

    [McpServerTool(Name = "bucket_object_info", Title = "Show an object's metadata", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = true, UseStructuredContent = true, OutputSchemaType = typeof(BucketObjectInfoResult))]
    [Description("Shows one S3 object's size, content type, ETag, version, storage class, user metadata (x-amz-meta-*) and stored checksums, with one HEAD request. Read-only.")]
    public Task<CallToolResult> BucketObjectInfo(
        [Description("The object: s3://bucket/key[?versionId=...]. Alternatively give bucket and key.")] string? uri = null,
        [Description("Bucket name (with key, instead of uri).")] string? bucket = null,
        [Description("Object key (with bucket, instead of uri).")] string? key = null,
        CancellationToken cancellationToken = default) =>
        ToolResults.RunAsync(logger, "bucket_object_info", () => operations.GetObjectInfoAsync(Object(uri, bucket, key), cancellationToken),
            r => $"{r.Uri}: {r.Size} bytes, {r.UserMetadata.Count} metadata entries, {r.Checksums.Count} checksums.");

    [McpServerTool(Name = "bucket_object_upload_url", Title = "Get a presigned upload URL", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = true, UseStructuredContent = true, OutputSchemaType = typeof(UploadUrlResult))]
    [Description("Returns a presigned HTTP PUT URL for s3://bucket/key so the client can upload a file itself (PUT the bytes to upload_url before it expires), then package it with package_create using the returned uri. Creating the URL writes nothing, but the URL lets its holder create or overwrite that key until it expires.")]
    public Task<CallToolResult> BucketObjectUploadUrl(
        [Description("Bucket name or s3://bucket.")] string bucket,
        [Description("Object key to upload to.")] string key,
        [Description("Seconds until the URL expires (1 to 604800; default 3600).")] int expires_in_seconds = 3600,
        CancellationToken cancellationToken = default) =>
        ToolResults.RunAsync(logger, "bucket_object_upload_url", () => operations.GetUploadUrlAsync(Object(null, bucket, key), TimeSpan.FromSeconds(expires_in_seconds), cancellationToken),
            r => $"PUT the file to the upload_url before {r.ExpiresAt:O}, then call package_create with files=[\"{r.Uri}\"].");

    [McpServerTool(Name = "package_browse", Title = "Browse a package revision", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = true, UseStructuredContent = true, OutputSchemaType = typeof(PackageBrowseResult))]
    [Description("Shows a package revision: message, metadata and every entry (logical key, physical key, size, hash, metadata). Defaults to the latest revision; top_hash may be a full hash or a unique prefix. Read-only.")]
    public Task<CallToolResult> PackageBrowse(
        [Description("Package name, 'namespace/name'.")] string package_name,
        [Description("The registry: s3://bucket or a bucket name.")] string registry,
        [Description("A revision (full top hash or a unique prefix of at least 6 characters); default latest.")] string? top_hash = null,
        CancellationToken cancellationToken = default) =>
        ToolResults.RunAsync(logger, "package_browse", () => operations.BrowseAsync(package_name, Bucket(registry, "registry"), top_hash, cancellationToken),
            r => $"{r.PackageName}@{r.TopHash}: {r.Entries.Count} entries, {r.TotalBytes} bytes.");

    [McpServerTool(Name = "package_list", Title = "List packages in a registry", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = true, UseStructuredContent = true, OutputSchemaType = typeof(PackageListResult))]
    [Description("Lists the packages of a registry with their latest top hash and number of revisions. Read-only.")]
    public Task<CallToolResult> PackageList(
        [Description("The registry: s3://bucket or a bucket name.")] string registry,
        CancellationToken cancellationToken = default) =>
        ToolResults.RunAsync(logger, "package_list", () => operations.ListPackagesAsync(Bucket(registry, "registry"), cancellationToken), r => $"{r.Packages.Count} packages in {r.Registry}.");

    [McpServerTool(Name = "package_diff", Title = "Compare two package revisions", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = true, UseStructuredContent = true, OutputSchemaType = typeof(PackageDiffResult))]
    [Description("Compares two revisions of a package: entries added, removed and modified (by hash, size or metadata), and whether package metadata changed. Read-only.")]
    public Task<CallToolResult> PackageDiff(
        [Description("Package name, 'namespace/name'.")] string package_name,
        [Description("The registry: s3://bucket or a bucket name.")] string registry,
        [Description("The older revision (top hash or unique prefix).")] string from_top_hash,
        [Description("The newer revision (top hash or unique prefix).")] string to_top_hash,
        CancellationToken cancellationToken = default) =>
        ToolResults.RunAsync(logger, "package_diff", () => operations.DiffAsync(package_name, Bucket(registry, "registry"), from_top_hash, to_top_hash, cancellationToken),
            r => $"{r.Added.Count} added, {r.Removed.Count} removed, {r.Modified.Count} modified.");

    private static string Summarize(PackageCreateResult r) => r.DryRun
        ? $"Dry run: {r.Entries} entries, {r.TotalBytes} bytes would be packaged as {r.PackageName}; nothing was written."
        : $"Created {r.PackageName}@{r.TopHash} ({r.Entries} entries, {r.TotalBytes} bytes; {r.ObjectsCopied} copied, {r.ObjectsReferenced} in place; {r.Requests.Total} S3 requests).";

    private static McpProgressBridge? Bridge(IProgress<ProgressNotificationValue>? progress) => progress is null ? null : new McpProgressBridge(progress);

    /// <summary>
    /// A parameter that names a bucket by contract: a bare name is that S3 bucket, built as a value (never text parsed
    /// again below); a URI (<c>s3://bucket</c>, or <c>file://</c> for a local folder, as the descriptions say) is parsed
    /// by the one rule of <see cref="StorageLocation.Parse"/>.
    /// </summary>
    private static StorageLocation Bucket(string? bucket, string parameter)
    {
        if (string.IsNullOrWhiteSpace(bucket))
        {
            throw QuiltException.InvalidInput($"{parameter} is required.", "Pass the bucket name, e.g. \"my-data\".");
        }

        bucket = bucket.Trim();
        return bucket.Contains("://", StringComparison.Ordinal) ? StorageLocation.Parse(bucket) : StorageLocation.S3(bucket);
    }

    private static StorageLocation Source(string bucket, string? prefix) => Bucket(bucket, "source_bucket").Below(prefix);

    private static StorageLocation Object(string? uri, string? bucket, string? key)
    {
        if (!string.IsNullOrWhiteSpace(uri))
        {
            return StorageLocation.Parse(uri);
        }

        if (string.IsNullOrWhiteSpace(bucket) || string.IsNullOrEmpty(key))
        {
            throw QuiltException.InvalidInput("Give the object as uri (s3://bucket/key) or as bucket and key.");
        }

        return Bucket(bucket, "bucket").WithKey(key);
    }

    private static QuiltJsonValue? Metadata(JsonElement? metadata) =>
        metadata is { ValueKind: not System.Text.Json.JsonValueKind.Null and not System.Text.Json.JsonValueKind.Undefined } element ? JsonValueConverter.FromElement(element) : null;

    private static CopyMode Copy(string? copy) => copy?.ToLowerInvariant() switch
    {
        null or "" or "auto" => CopyMode.Auto,
        "all" => CopyMode.All,
        "none" => CopyMode.None,
        _ => throw QuiltException.InvalidInput($"copy must be 'auto', 'all' or 'none', not '{copy}'."),
    };

    private static WorkflowChoice Workflow(RequestContext<CallToolRequestParams> context, string? workflow)
    {
        var given = context.Params?.Arguments?.ContainsKey("workflow") == true;
        return !given ? WorkflowChoice.Default : string.IsNullOrEmpty(workflow) ? WorkflowChoice.None : WorkflowChoice.Named(workflow);
    }
}
#pragma warning restore CA1707
