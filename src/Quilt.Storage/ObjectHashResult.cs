using Quilt.Core.Hashing;

namespace Quilt.Storage;

/// <summary>An object's quilt hash together with the metadata obtained on the way, and how it was obtained.</summary>
/// <param name="Hash">The <c>sha2-256-chunked</c> hash.</param>
/// <param name="Step">The ladder step that produced it.</param>
/// <param name="Metadata">The object's metadata (from the same GET/HEAD).</param>
public sealed record ObjectHashResult(QuiltHash Hash, HashStep Step, ObjectMetadata Metadata);
