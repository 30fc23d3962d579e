namespace Quilt.Storage;

/// <summary>One page of a listing, for callers (the MCP tool) that page by hand.</summary>
/// <param name="Objects">The objects on this page.</param>
/// <param name="CommonPrefixes">Folder-like prefixes when a delimiter was given.</param>
/// <param name="NextContinuationToken">Pass back to get the next page; null on the last page.</param>
public sealed record ObjectListPage(
    IReadOnlyList<ObjectSummary> Objects,
    IReadOnlyList<string> CommonPrefixes,
    string? NextContinuationToken);
