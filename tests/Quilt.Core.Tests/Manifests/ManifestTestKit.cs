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
    public static ManifestEntry Entry(string key, long size = 1, QuiltJsonObject? meta = null) =>
        new(key, "s3://bucket/" + key, size, SampleHash, meta);

    /// <summary>
    /// The top hash computed the slow, obvious way: one canonical string per part built from a real
    /// <see cref="QuiltJsonObject"/>, concatenated, then SHA-256 — independent of the streaming code path.
    /// </summary>
    public static string NaiveTopHash(QuiltJsonObject header, IEnumerable<(string Key, QuiltJsonValue Hash, QuiltJsonValue Meta, QuiltJsonValue Size)> entries)
    {
        var text = new StringBuilder(JsonText.SerializeCanonical(header.Without("top_hash")));
        foreach (var (key, hash, meta, size) in entries)
        {
            text.Append(JsonText.SerializeCanonical(new QuiltJsonObject([
                new("logical_key", new QuiltJsonString(key)),
                new("hash", hash),
                new("meta", meta.IsTruthy ? meta : QuiltJsonObject.Empty),
                new("size", size),
            ])));
        }

        return Sha256Hex(text.ToString());
    }

    /// <summary>The naive top hash of a manifest's entries (in the manifest's order).</summary>
    public static string NaiveTopHash(Manifest manifest) =>
        NaiveTopHash(manifest.Header, manifest.Entries.Select(e => (e.LogicalKey, (QuiltJsonValue)HashObject(e.Hash), (QuiltJsonValue)e.Meta, (QuiltJsonValue)new QuiltJsonInteger(e.Size))));

    public static QuiltJsonObject HashObject(QuiltHash hash) =>
        new([new("type", new QuiltJsonString(hash.Type)), new("value", new QuiltJsonString(hash.Value))]);

    public static string Sha256Hex(string ascii) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ascii)));

    public static QuiltJsonObject Obj(params (string Name, QuiltJsonValue Value)[] members) =>
        new(members.Select(m => new KeyValuePair<string, QuiltJsonValue>(m.Name, m.Value)));
}
