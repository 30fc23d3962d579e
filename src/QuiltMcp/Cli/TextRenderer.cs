using System.Text;
using Quilt.Core.Json;
using Quilt.Packaging.Contracts;

namespace QuiltMcp.Cli;

/// <summary>
/// The CLI's human-readable output of each result record (what <c>--json</c> replaces): results to stdout, problems
/// and side notes to stderr, so a pipe gets only the result.
/// </summary>
internal sealed class TextRenderer(Output output)
{
    /// <summary><c>ls</c>: common prefixes, then objects with time and size.</summary>
    public async Task ObjectsAsync(BucketObjectsListResult result)
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

    /// <summary><c>info</c>: one field per line, then user metadata and stored checksums.</summary>
    public async Task ObjectInfoAsync(BucketObjectInfoResult result)
    {
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
    }

    /// <summary><c>create</c> and <c>create-from-s3</c>: the plan of a dry run, or what was created; then counts.</summary>
    public async Task CreateResultAsync(PackageCreateResult result)
    {
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

    /// <summary><c>browse</c>: the revision, its message and metadata, and its entries.</summary>
    public async Task BrowseAsync(PackageBrowseResult result)
    {
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
    }

    /// <summary><c>list</c>: one line per package.</summary>
    public async Task PackagesAsync(PackageListResult result)
    {
        foreach (var p in result.Packages)
        {
            await output.Out.WriteLineAsync($"{p.PackageName,-40} {p.LatestTopHash?[..12] ?? "-",-12} {p.Revisions,4} revisions  {p.LastModified?.UtcDateTime:yyyy-MM-dd HH:mm:ss}").ConfigureAwait(false);
        }
    }

    /// <summary><c>diff</c>: added, removed and modified keys, and whether metadata changed.</summary>
    public async Task DiffAsync(PackageDiffResult result)
    {
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
    }

    /// <summary><c>verify</c>: each problem on stderr, then the verdict.</summary>
    public async Task VerifyAsync(PackageVerifyResult result)
    {
        foreach (var problem in result.Problems)
        {
            await output.Error.WriteLineAsync(problem).ConfigureAwait(false);
        }

        await output.Out.WriteLineAsync(result.IsValid
            ? $"OK: {result.PackageName}@{result.TopHash}, {result.EntriesChecked} entries verified"
            : $"FAILED: {result.PackageName}@{result.TopHash}, {result.Problems.Count} problem(s)").ConfigureAwait(false);
    }

    /// <summary><c>hash</c>: the value alone on stdout (for scripts), how it was obtained on stderr.</summary>
    public async Task HashAsync(ObjectHashView result)
    {
        await output.Out.WriteLineAsync(result.HashValue).ConfigureAwait(false);
        await output.Error.WriteLineAsync($"{result.HashType} of {result.Uri} ({result.Size} bytes) by {result.Step}, {result.Requests.Total} request(s)").ConfigureAwait(false);
    }

    /// <summary><c>cleanup</c>: the counts, then up to 20 leftovers on stderr.</summary>
    public async Task CleanupAsync(CleanupResult result)
    {
        await output.Out.WriteLineAsync(
            $"{result.RunsFound} interrupted or running run(s) found in {result.StateDirectory ?? "(no state folder)"}; {result.RunsStillRunning} still running (left alone); {result.RunsCleaned} cleaned: {result.ObjectsRemoved} object(s) removed, {result.UploadsAborted} upload(s) aborted.").ConfigureAwait(false);
        foreach (var left in result.Leftovers.Take(20))
        {
            await output.Error.WriteLineAsync($"still there: {left}").ConfigureAwait(false);
        }
    }
}
