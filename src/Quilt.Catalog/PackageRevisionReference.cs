namespace Quilt.Catalog;

/// <summary>A revision named by registry bucket, package name and top hash (the source of a <c>packagePromote</c>).</summary>
/// <param name="Bucket">Registry bucket.</param>
/// <param name="Name">Package name.</param>
/// <param name="Hash">Top hash.</param>
public sealed record PackageRevisionReference(string Bucket, string Name, string Hash);
