namespace Quilt.Packaging.Contracts;

/// <summary>One entry of a plan, as a dry run reports it.</summary>
/// <param name="LogicalKey">The entry's path in the package.</param>
/// <param name="Source">The source object's URI.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="WillCopy">Whether the run would copy it into the target bucket.</param>
public sealed record PlannedEntry(string LogicalKey, string Source, long Size, bool WillCopy);
