using System.Security.Cryptography;
using System.Text;
using Quilt.Core.Hashing;
using Quilt.Core.Json;
using Quilt.Core.Manifests;

namespace Quilt.Core.Tests.Manifests;

/// <summary>Helpers shared by the manifest tests.</summary>
internal static class ManifestTestKit
{
    public static readonly QuiltHash SampleHash = new(QuiltHashTypes.Sha256Chunked, "Ij4KFgr52goD5t0sRxnFb11mpjPL6E54qqnzc1hlUio=");

    /// <summary>Reads manifest text (UTF-8).</summary>
    public static Manifest Read(string text) => ManifestReader.Read(Encoding.UTF8.GetBytes(text));

    /// <summary>A file entry with defaults.</summary>
    public static ManifestEntry Entry(string key, long size = 1, JsonObject? meta = null) =>
        new(key, "s3://bucket/" + key, size, SampleHash, meta);

    /// <summary>
    /// The top hash computed the slow, obvious way: one canonical string per part built from a real
    /// <see cref="JsonObject"/>, concatenated, then SHA-256 — independent of the streaming code path.
    /// </summary>
    public static string NaiveTopHash(JsonObject header, IEnumerable<(string Key, JsonValue Hash, JsonValue Meta, JsonValue Size)> entries)
    {
        var text = new StringBuilder(JsonText.SerializeCanonical(header.Without("top_hash")));
        foreach (var (key, hash, meta, size) in entries)
        {
            text.Append(JsonText.SerializeCanonical(new JsonObject([
                new("logical_key", new JsonString(key)),
                new("hash", hash),
                new("meta", meta.IsTruthy ? meta : JsonObject.Empty),
                new("size", size),
            ])));
        }

        return Sha256Hex(text.ToString());
    }

    /// <summary>The naive top hash of a manifest's entries (in the manifest's order).</summary>
    public static string NaiveTopHash(Manifest manifest) =>
        NaiveTopHash(manifest.Header, manifest.Entries.Select(e => (e.LogicalKey, (JsonValue)HashObject(e.Hash), (JsonValue)e.Meta, (JsonValue)new JsonInteger(e.Size))));

    public static JsonObject HashObject(QuiltHash hash) =>
        new([new("type", new JsonString(hash.Type)), new("value", new JsonString(hash.Value))]);

    public static string Sha256Hex(string ascii) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ascii)));

    public static JsonObject Obj(params (string Name, JsonValue Value)[] members) =>
        new(members.Select(m => new KeyValuePair<string, JsonValue>(m.Name, m.Value)));
}
