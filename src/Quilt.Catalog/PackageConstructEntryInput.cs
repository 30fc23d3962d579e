using Quilt.Core.Hashing;
using Quilt.Core.Json;

namespace Quilt.Catalog;

/// <summary>
/// One entry of a <c>packageConstruct</c> call. The registry needs only the logical and physical key; it fills a
/// missing size, version or hash itself (HeadObject with the user's credentials, hashing server-side within its
/// limits), so a hash is sent only when it is known exactly.
/// </summary>
/// <param name="LogicalKey">The entry's path in the package.</param>
/// <param name="PhysicalKey">A versioned <c>s3://bucket/key?versionId=…</c> URL (quilt3 encoding).</param>
/// <param name="Size">Size in bytes when known.</param>
/// <param name="Hash">The <c>sha2-256-chunked</c> hash when known exactly; null lets the registry compute it.</param>
/// <param name="Meta">Full entry metadata (<c>user_meta</c>, <c>s3</c>, …), or null for none.</param>
public sealed record PackageConstructEntryInput(string LogicalKey, string PhysicalKey, long? Size, QuiltHash? Hash, QuiltJsonObject? Meta);
