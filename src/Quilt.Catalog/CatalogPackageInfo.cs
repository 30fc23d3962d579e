namespace Quilt.Catalog;

/// <summary>A package as the registry lists it: enough for a listing and for the conflict check on <c>latest</c>.</summary>
/// <param name="Bucket">Registry bucket.</param>
/// <param name="Name">Package name.</param>
/// <param name="Modified">Time of the newest revision.</param>
/// <param name="LatestTopHash">The revision <c>latest</c> points to, if any.</param>
/// <param name="Revisions">Number of revisions.</param>
public sealed record CatalogPackageInfo(string Bucket, string Name, DateTimeOffset? Modified, string? LatestTopHash, int Revisions);
