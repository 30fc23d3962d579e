namespace Quilt.Packaging.Contracts;

/// <summary>S3 requests made by an operation: the total and a count per S3 operation name.</summary>
/// <param name="Total">All requests, retries included.</param>
/// <param name="ByOperation">Per operation (<c>GetObject</c>, <c>HeadObject</c>, …).</param>
public sealed record RequestCounts(long Total, IReadOnlyDictionary<string, long> ByOperation);
