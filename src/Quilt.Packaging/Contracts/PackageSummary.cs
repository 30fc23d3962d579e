namespace Quilt.Packaging.Contracts;

/// <summary>One package in a registry listing.</summary>
/// <param name="PackageName">Package name.</param>
/// <param name="LatestTopHash">The revision <c>latest</c> points to, if any.</param>
/// <param name="Revisions">Number of timestamped revisions.</param>
/// <param name="LastModified">Time of the newest revision pointer (Unix seconds from its name).</param>
public sealed record PackageSummary(string PackageName, string? LatestTopHash, int Revisions, DateTimeOffset? LastModified);
