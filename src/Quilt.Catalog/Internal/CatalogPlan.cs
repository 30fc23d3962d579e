using Quilt.Packaging.Contracts;
using Quilt.Storage;

namespace Quilt.Catalog.Internal;

/// <summary>One object to package: where it is (version pinned when known), its logical key, and what the listing said.</summary>
internal sealed record CatalogPlanItem(ObjectLocation Location, string LogicalKey, long? Size, string? ETag);

/// <summary>Everything decided before the first registry write, with the warnings those decisions gave.</summary>
internal sealed record CatalogPlan(
    CatalogTarget Target,
    IObjectStore Store,
    IReadOnlyList<CatalogPlanItem> Items,
    bool Copy,
    bool PreserveMetadata,
    bool HeadAlways,
    SkippedCounts Skipped,
    string? LatestAtValidation,
    bool Force,
    IReadOnlyList<string> Warnings);
