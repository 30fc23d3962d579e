using Quilt.Core.Json;
using Quilt.Storage;

namespace Quilt.Packaging.Contracts;

/// <summary>
/// <c>package_create</c> / <c>quilt-mcp create</c>: a package from an explicit list of object URIs
/// (the <c>packaging.create</c> contract). Each file becomes an entry named by its file name unless the
/// URI list maps it (<c>logical_key=uri</c> is not supported; names must be unique).
/// </summary>
public sealed record CreatePackageRequest
{
    /// <summary>Package name, <c>namespace/name</c>.</summary>
    public required string PackageName { get; init; }

    /// <summary>The registry: an S3 bucket root or a local folder.</summary>
    public required StorageLocation TargetRegistry { get; init; }

    /// <summary>The objects (S3 objects, optionally version-pinned, or local files).</summary>
    public required IReadOnlyList<StorageLocation> Files { get; init; }

    /// <summary>Used as the commit message when <see cref="Message"/> is not given.</summary>
    public string Description { get; init; } = "";

    /// <summary>Package-level metadata; must be a JSON object when given.</summary>
    public QuiltJsonValue? Metadata { get; init; }

    /// <summary>The commit message; defaults to the description.</summary>
    public string? Message { get; init; }

    /// <summary>What to copy into the registry bucket.</summary>
    public CopyMode Copy { get; init; } = CopyMode.Auto;

    /// <summary>Keep each object's S3 metadata on its entry.</summary>
    public bool PreserveMetadata { get; init; } = true;

    /// <summary>The workflow to validate against.</summary>
    public WorkflowChoice Workflow { get; init; } = WorkflowChoice.Default;

    /// <summary>Plan and validate only.</summary>
    public bool DryRun { get; init; }

    /// <summary>Overwrite <c>latest</c> even if it changed during the run.</summary>
    public bool Force { get; init; }
}
