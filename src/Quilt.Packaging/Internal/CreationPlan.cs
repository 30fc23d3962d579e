using Quilt.Core.Json;
using Quilt.Core.Naming;
using Quilt.Packaging.Contracts;
using Quilt.Packaging.Registry;
using Quilt.Storage;

namespace Quilt.Packaging.Internal;

/// <summary>Everything decided before the first write: what to package, where, and with which header.</summary>
internal sealed record CreationPlan(
    PackageName Name,
    PackageRegistry Registry,
    IObjectStore SourceStore,
    string? TargetBucket,
    IReadOnlyList<PlanItem> Items,
    QuiltJsonObject? Metadata,
    string? Message,
    bool PreserveMetadata,
    bool SourceIsS3,
    string? LatestAtValidation,
    SkippedCounts Skipped,
    WorkflowChoice Workflow,
    bool Force);
