namespace Quilt.Core.Selection;

/// <summary>Several source objects that would get the same logical key (typically the same file name when flattening).</summary>
/// <param name="LogicalKey">The contested logical key.</param>
/// <param name="SourceKeys">Every source key mapped to it, in the order they were added.</param>
public sealed record KeyCollision(string LogicalKey, IReadOnlyList<string> SourceKeys);
