using Quilt.Core.Naming;
using Quilt.Packaging.Contracts;

namespace Quilt.Packaging.Pipeline;

/// <summary>The parts of a create result both modes build the same way: request counts, the package URI, the catalog link.</summary>
public static class CreateResults
{
    /// <summary>The requests made between two snapshots of a store's counters, by operation (operations with none left out).</summary>
    public static RequestCounts RequestsSince(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var byOperation = after
            .Select(p => (p.Key, Count: p.Value - before.GetValueOrDefault(p.Key)))
            .Where(p => p.Count > 0)
            .ToDictionary(p => p.Key, p => p.Count, StringComparer.Ordinal);
        return new RequestCounts(byOperation.Values.Sum(), byOperation);
    }

    /// <summary>
    /// <c>quilt+s3://bucket#package=ns/name@tophash</c> (or <c>quilt+file://…</c> for a local registry), and a catalog link
    /// when a catalog URL is configured and the registry is in S3; both null without a top hash (a dry run).
    /// </summary>
    public static (string? Uri, string? CatalogUrl) Links(PackageRegistryRef registry, PackageName name, string? topHash, string? catalogUrl)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (topHash is null)
        {
            return (null, null);
        }

        var uri = registry.IsS3 ? $"quilt+s3://{registry.Bucket}#package={name}@{topHash}" : $"quilt+{registry.Uri}#package={name}@{topHash}";
        var link = catalogUrl is { Length: > 0 } catalog && registry.IsS3
            ? $"{catalog.TrimEnd('/')}/b/{registry.Bucket}/packages/{name}/tree/{topHash}"
            : null;
        return (uri, link);
    }
}
