namespace Quilt.Core.Selection;

/// <summary>One object's place in the package.</summary>
/// <param name="SourceKey">The source object's key (S3 key or local path), as listed.</param>
/// <param name="RelativePath">The key relative to the source prefix (what globs matched).</param>
/// <param name="LogicalKey">The entry's path inside the package.</param>
public sealed record PlannedKey(string SourceKey, string RelativePath, string LogicalKey);
