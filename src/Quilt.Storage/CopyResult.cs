using Quilt.Core.Hashing;

namespace Quilt.Storage;

/// <summary>The outcome of a server-side copy.</summary>
/// <param name="Destination">Where the copy landed, with its new version id when the target bucket is versioned.</param>
/// <param name="Size">Bytes copied.</param>
/// <param name="Hash">The <c>sha2-256-chunked</c> hash derived from the checksum the copy returned, or null when the server returned none.</param>
/// <param name="ETag">The new object's ETag with quotes, when the store reports one (a rollback deletes only while it is unchanged).</param>
public sealed record CopyResult(ObjectLocation Destination, long Size, QuiltHash? Hash, string? ETag = null);
