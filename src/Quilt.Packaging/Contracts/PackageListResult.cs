namespace Quilt.Packaging.Contracts;

/// <summary>The packages of a registry.</summary>
/// <param name="Registry">Registry URI.</param>
/// <param name="Packages">Packages sorted by name.</param>
public sealed record PackageListResult(string Registry, IReadOnlyList<PackageSummary> Packages);
