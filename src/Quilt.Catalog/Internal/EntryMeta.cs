using System.Globalization;
using Quilt.Core.Json;
using Quilt.Storage;

namespace Quilt.Catalog.Internal;

/// <summary>
/// Entry metadata from an object's S3 metadata, identical to direct mode's (<c>PackageCreator.BuildEntryMeta</c>, which
/// is private there): <c>user_meta</c> = the object's user metadata (names sorted), <c>s3</c> = content type, ETag,
/// last modified, version, storage class and the source URI. Keep the two in step.
/// </summary>
internal static class EntryMeta
{
    public static JsonObject Build(ObjectMetadata metadata, string sourceUri)
    {
        var members = new List<KeyValuePair<string, JsonValue>>();
        if (metadata.UserMetadata.Count > 0)
        {
            members.Add(new("user_meta", new JsonObject(metadata.UserMetadata
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new KeyValuePair<string, JsonValue>(p.Key, new JsonString(p.Value))))));
        }

        members.Add(new("s3", new JsonObject([
            new("content_type", Str(metadata.ContentType)),
            new("etag", Str(metadata.ETag)),
            new("last_modified", Str(metadata.LastModified?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))),
            new("version_id", Str(metadata.Location.VersionId)),
            new("storage_class", Str(metadata.StorageClass ?? "STANDARD")),
            new("source", new JsonString(sourceUri)),
        ])));
        return new JsonObject(members);

        static JsonValue Str(string? value) => value is null ? JsonNull.Instance : new JsonString(value);
    }
}
