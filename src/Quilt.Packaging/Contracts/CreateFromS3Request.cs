using Quilt.Core.Json;

namespace Quilt.Packaging.Contracts;

/// <summary>
/// Everything <c>package_create_from_s3</c> and <c>quilt-mcp create-from-s3</c> accept (DESIGN.md §5–6).
/// </summary>
public sealed record CreateFromS3Request
{
    /// <summary>The source: <c>s3://bucket[/prefix]</c> or a local folder (<c>file:///abs/path</c> or a path).</summary>
    public required string SourceUri { get; init; }

    /// <summary>Package name, <c>namespace/name</c>.</summary>
    public required string PackageName { get; init; }

    /// <summary>The registry: <c>s3://bucket</c>, a bucket name, or a local folder.</summary>
    public required string TargetRegistry { get; init; }

    /// <summary>Where copies go; defaults to the registry bucket.</summary>
    public string? TargetBucket { get; init; }

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
