namespace Quilt.Catalog;

/// <summary>A package revision as the registry describes it after a push or in a query.</summary>
/// <param name="Hash">The top hash.</param>
/// <param name="Modified">When the revision was made.</param>
/// <param name="Message">Its commit message.</param>
/// <param name="TotalEntries">Number of entries, when the registry reports it.</param>
/// <param name="TotalBytes">Sum of entry sizes, when the registry reports it.</param>
public sealed record CatalogRevision(string Hash, DateTimeOffset? Modified, string? Message, long? TotalEntries, long? TotalBytes);
