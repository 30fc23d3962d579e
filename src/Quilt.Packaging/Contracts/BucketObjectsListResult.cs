namespace Quilt.Packaging.Contracts;

/// <summary>A page of a bucket listing (or the whole listing for the CLI's <c>ls --recursive</c>).</summary>
/// <param name="Bucket">Bucket (or folder).</param>
/// <param name="Prefix">Prefix listed.</param>
/// <param name="Objects">Objects on this page.</param>
/// <param name="CommonPrefixes">Sub-folders when a delimiter was given.</param>
/// <param name="NextContinuationToken">Token for the next page, or null.</param>
/// <param name="IsTruncated">Whether more pages exist.</param>
public sealed record BucketObjectsListResult(
    string Bucket,
    string Prefix,
    IReadOnlyList<BucketObjectView> Objects,
    IReadOnlyList<string> CommonPrefixes,
    string? NextContinuationToken,
    bool IsTruncated);
