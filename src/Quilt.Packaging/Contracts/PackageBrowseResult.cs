using Quilt.Core.Json;

namespace Quilt.Packaging.Contracts;

/// <summary>A package revision's contents.</summary>
/// <param name="PackageName">Package name.</param>
/// <param name="Registry">Registry URI.</param>
/// <param name="TopHash">The revision shown.</param>
/// <param name="Message">Commit message, if any.</param>
/// <param name="Metadata">Package metadata (header <c>user_meta</c>), if any.</param>
/// <param name="TotalBytes">Sum of entry sizes.</param>
/// <param name="Entries">The entries in walk order.</param>
public sealed record PackageBrowseResult(
    string PackageName,
    string Registry,
    string TopHash,
    string? Message,
    QuiltJsonValue? Metadata,
    long TotalBytes,
    IReadOnlyList<PackageEntryView> Entries);
