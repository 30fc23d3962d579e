using Quilt.Core.Errors;
using Quilt.Storage;

namespace Quilt.Catalog.Internal;

/// <summary>
/// What catalog mode accepts of a <see cref="StorageLocation"/>: S3 only (a catalog user must never reach the server's
/// own file system), a registry as a bucket root, an object as a key.
/// </summary>
internal static class CatalogLocations
{
    /// <summary>The location itself when it is in S3; a local one is refused with <see cref="DeniedLocalStore.Refusal"/>.</summary>
    public static StorageLocation RequireS3(StorageLocation? location, string what)
    {
        if (location is null)
        {
            throw QuiltException.InvalidInput($"No {what} was given.", "Pass s3://bucket (a bucket in S3).");
        }

        return location.IsS3 ? location : throw DeniedLocalStore.Refusal();
    }

    /// <summary>A registry's bucket: an S3 bucket root.</summary>
    public static string RegistryBucket(StorageLocation? registry)
    {
        var location = RequireS3(registry, "registry");
        if (location.Key.Trim('/').Length > 0)
        {
            throw QuiltException.InvalidInput($"A registry is a bucket root, but '{location}' has a path.", $"Use s3://{location.Bucket}.");
        }

        return location.Bucket;
    }

    /// <summary>A source prefix: an S3 bucket and prefix, no version.</summary>
    public static StorageLocation Prefix(StorageLocation? source)
    {
        var location = RequireS3(source, "source");
        return location.VersionId is null
            ? location
            : throw QuiltException.InvalidInput($"A source prefix cannot carry a version ('{location}').", "Pass s3://bucket/prefix.");
    }

    /// <summary>An S3 object (<c>s3://bucket/key</c>, maybe version-pinned).</summary>
    public static ObjectLocation Object(StorageLocation? location)
    {
        var s3 = RequireS3(location, "object");
        if (s3.Key.Length == 0 || s3.Key.EndsWith('/'))
        {
            throw QuiltException.InvalidInput($"'{s3}' names a bucket or folder, not an object.", "List object URIs (s3://bucket/key), or use package_create_from_s3 for a prefix.");
        }

        return s3.ToObject();
    }
}
