using Quilt.Core.Json;
using Quilt.Packaging.Contracts;

namespace Quilt.Catalog;

/// <summary>A revision with its metadata and entries (from <c>contentsFlatMap</c>), for browse and diff.</summary>
/// <param name="Revision">The revision.</param>
/// <param name="UserMeta">Package metadata (header <c>user_meta</c>), if any.</param>
/// <param name="Entries">
/// The entries in walk order, or null when the package has more entries than the registry agreed to list.
/// </param>
public sealed record CatalogRevisionContents(CatalogRevision Revision, QuiltJsonValue? UserMeta, IReadOnlyList<PackageEntryView>? Entries);
