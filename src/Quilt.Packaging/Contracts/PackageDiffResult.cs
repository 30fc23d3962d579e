namespace Quilt.Packaging.Contracts;

/// <summary>What changed between two revisions of a package (by logical key; content compared by hash and size).</summary>
/// <param name="PackageName">Package name.</param>
/// <param name="FromTopHash">The first revision.</param>
/// <param name="ToTopHash">The second revision.</param>
/// <param name="Added">Keys only in the second.</param>
/// <param name="Removed">Keys only in the first.</param>
/// <param name="Modified">Keys in both whose hash or size differ.</param>
/// <param name="MetadataChanged">Whether package metadata or message differ.</param>
public sealed record PackageDiffResult(
    string PackageName,
    string FromTopHash,
    string ToTopHash,
    IReadOnlyList<string> Added,
    IReadOnlyList<string> Removed,
    IReadOnlyList<string> Modified,
    bool MetadataChanged);
