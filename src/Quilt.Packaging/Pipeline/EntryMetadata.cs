using System.Globalization;
using Quilt.Core.Json;
using Quilt.Storage;

namespace Quilt.Packaging.Pipeline;

/// <summary>
/// An entry's <c>meta</c> built from its object's S3 metadata (DESIGN.md §3): <c>user_meta</c> = the user metadata
/// (names sorted, present only when the object has some) and, for S3 objects, <c>s3</c> = content type, ETag, last
/// modified, version, storage class and the source URI. Direct and catalog mode both use it, so their packages agree.
/// </summary>
public static class EntryMetadata
{
    /// <summary>Builds the entry metadata; <c>{}</c> when <paramref name="metadata"/> is null.</summary>
    public static QuiltJsonObject Build(ObjectMetadata? metadata, string sourceUri, bool isS3)
    {
        if (metadata is null)
        {
            return QuiltJsonObject.Empty;
        }

        var members = new List<KeyValuePair<string, QuiltJsonValue>>();
        if (metadata.UserMetadata.Count > 0)
        {
            members.Add(new("user_meta", new QuiltJsonObject(metadata.UserMetadata
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new KeyValuePair<string, QuiltJsonValue>(p.Key, new QuiltJsonString(p.Value))))));
        }

        if (isS3)
        {
            members.Add(new("s3", new QuiltJsonObject([
                new("content_type", Str(metadata.ContentType)),
                new("etag", Str(metadata.ETag)),
                new("last_modified", Str(metadata.LastModified?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))),
                new("version_id", Str(metadata.Location.VersionId)),
                new("storage_class", Str(metadata.StorageClass ?? "STANDARD")),
                new("source", new QuiltJsonString(sourceUri)),
            ])));
        }

        return members.Count == 0 ? QuiltJsonObject.Empty : new QuiltJsonObject(members);

        static QuiltJsonValue Str(string? value) => value is null ? QuiltJsonNull.Instance : new QuiltJsonString(value);
    }
}
