using Quilt.Core.Json;
using Quilt.Storage;

namespace Quilt.Packaging.Contracts;

/// <summary>
/// Everything <c>package_create_from_s3</c> and <c>quilt-mcp create-from-s3</c> accept (DESIGN.md §5–6).
/// </summary>
public sealed record CreateFromS3Request
{
    /// <summary>The source: an S3 bucket and prefix, or a local folder (catalog mode takes S3 only).</summary>
    public required StorageLocation Source { get; init; }

    /// <summary>Package name, <c>namespace/name</c>.</summary>
    public required string PackageName { get; init; }

    /// <summary>The registry: an S3 bucket root or a local folder.</summary>
    public required StorageLocation TargetRegistry { get; init; }

    /// <summary>Where copies go (a bucket root in the registry's store); defaults to the registry bucket.</summary>
    public StorageLocation? TargetBucket { get; init; }

    /// <summary>Used as the commit message when <see cref="Message"/> is not given.</summary>
    public string Description { get; init; } = "";

    /// <summary>Globs on the path relative to the prefix; empty means everything.</summary>
    public IReadOnlyList<string> IncludePatterns { get; init; } = [];

    /// <summary>Globs that remove objects; exclude beats include.</summary>
    public IReadOnlyList<string> ExcludePatterns { get; init; } = [];

    /// <summary>Keep the folder structure below the prefix (true) or flatten to file names (false).</summary>
    public bool PreserveStructure { get; init; } = true;

    /// <summary>Package-level metadata (header <c>user_meta</c>); must be a JSON object when given.</summary>
    public QuiltJsonValue? Metadata { get; init; }

    /// <summary>The commit message; defaults to the description.</summary>
    public string? Message { get; init; }

    /// <summary>What to copy into the target bucket.</summary>
    public CopyMode Copy { get; init; } = CopyMode.Auto;

    /// <summary>Keep each object's S3 metadata on its entry (<c>meta.user_meta</c>, <c>meta.s3</c>).</summary>
    public bool PreserveMetadata { get; init; } = true;

    /// <summary>The workflow to validate against.</summary>
    public WorkflowChoice Workflow { get; init; } = WorkflowChoice.Default;

    /// <summary>Plan and validate only; write nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Overwrite <c>latest</c> even if someone else changed it during the run.</summary>
    public bool Force { get; init; }
}
