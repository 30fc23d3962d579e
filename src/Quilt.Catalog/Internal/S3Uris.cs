using Quilt.Core.Errors;
using Quilt.Core.Naming;
using Quilt.Storage;

namespace Quilt.Catalog.Internal;

/// <summary>Parses the S3 locations catalog mode accepts; anything local is refused.</summary>
internal static class S3Uris
{
    /// <summary>A registry: <c>s3://bucket</c> or a bare bucket name.</summary>
    public static string ParseRegistry(string registry)
    {
        if (string.IsNullOrWhiteSpace(registry))
        {
            throw QuiltException.InvalidInput("No registry was given.", "Pass s3://bucket (the registry bucket).");
        }

        var text = registry.Trim();
        if (text.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            var (bucket, key) = Split(text[5..], text);
            if (key.Trim('/').Length > 0)
            {
                throw QuiltException.InvalidInput($"A registry is a bucket root, but '{registry}' has a path.", $"Use s3://{bucket}.");
            }

            return bucket;
        }

        if (text.Contains("://", StringComparison.Ordinal) || text.Contains('/', StringComparison.Ordinal) || text.StartsWith('.') || text.StartsWith('~'))
        {
            throw DeniedLocalStore.Refusal();
        }

        ValidateBucket(text, registry);
        return text;
    }

    /// <summary>A source prefix: <c>s3://bucket[/prefix]</c>.</summary>
    public static (string Bucket, string Prefix) ParsePrefix(string uri)
    {
        if (string.IsNullOrWhiteSpace(uri) || !uri.Trim().StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            throw string.IsNullOrWhiteSpace(uri)
                ? QuiltException.InvalidInput("No source was given.", "Pass s3://bucket/prefix.")
                : DeniedLocalStore.Refusal();
        }

        var text = uri.Trim();
        if (text.Contains('?', StringComparison.Ordinal))
        {
            throw QuiltException.InvalidInput($"A source prefix cannot carry a query ('{uri}').", "Pass s3://bucket/prefix.");
        }

        return Split(text[5..], text);
    }

    /// <summary>An object: <c>s3://bucket/key[?versionId=…]</c> (quilt3 physical-key encoding when a query is present).</summary>
    public static ObjectLocation ParseObject(string uri)
    {
        if (string.IsNullOrWhiteSpace(uri) || !uri.Trim().StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            throw string.IsNullOrWhiteSpace(uri)
                ? QuiltException.InvalidInput("An empty object URI was given.", "Pass s3://bucket/key.")
                : DeniedLocalStore.Refusal();
        }

        var text = uri.Trim();
        ObjectLocation location;
        if (text.Contains('?', StringComparison.Ordinal))
        {
            var pk = PhysicalKey.Parse(text);
            location = new ObjectLocation(pk.Bucket, pk.Key, pk.VersionId);
        }
        else
        {
            var (bucket, key) = Split(text[5..], text);
            location = new ObjectLocation(bucket, key);
        }

        if (location.Key.Length == 0 || location.Key.EndsWith('/'))
        {
            throw QuiltException.InvalidInput($"'{uri}' names a bucket or folder, not an object.", "List object URIs (s3://bucket/key), or use package_create_from_s3 for a prefix.");
        }

        return location;
    }

    private static (string Bucket, string Key) Split(string rest, string uri)
    {
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var key = slash < 0 ? "" : rest[(slash + 1)..];
        ValidateBucket(bucket, uri);
        return (bucket, key);
    }

    private static void ValidateBucket(string bucket, string uri)
    {
        if (bucket.Length is < 3 or > 63 || !bucket.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.' or '_'))
        {
            throw QuiltException.InvalidInput(
                $"'{bucket}' in '{uri}' is not a valid S3 bucket name.",
                "Bucket names are 3-63 characters: lowercase letters, digits, '-' and '.'.");
        }
    }
}
