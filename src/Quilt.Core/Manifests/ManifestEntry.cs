using Quilt.Core.Errors;
using Quilt.Core.Hashing;
using Quilt.Core.Json;

namespace Quilt.Core.Manifests;

/// <summary>
/// One file of a package: a manifest line with <c>logical_key</c>, <c>physical_keys</c>, <c>size</c>, <c>hash</c>
/// and <c>meta</c> (quilt-format §2.3). Entries read from foreign manifests keep <c>size</c>, <c>hash</c> and
/// <c>meta</c> exactly as read (a <c>5.0</c> size, extra members in the hash object, a null hash), because the
/// top hash and a faithful rewrite depend on them.
/// </summary>
public sealed class ManifestEntry
{
    private readonly long? _size;
    private readonly QuiltHash? _hash;

    /// <summary>Creates an entry for a file this program hashed itself.</summary>
    /// <param name="logicalKey">Path inside the package (rules in quilt-format §5.4 are checked elsewhere).</param>
    /// <param name="physicalKey">URL of the bytes, written as the single element of <c>physical_keys</c>.</param>
    /// <param name="size">Size in bytes, not negative.</param>
    /// <param name="hash">The object hash.</param>
    /// <param name="meta">Full entry metadata (user metadata nested at <c>user_meta</c>); null or falsy means <c>{}</c>.</param>
    /// <exception cref="QuiltException">Kind <see cref="QuiltErrorKind.InvalidInput"/> for a negative size.</exception>
    public ManifestEntry(string logicalKey, string physicalKey, long size, QuiltHash hash, JsonObject? meta = null)
    {
        ArgumentNullException.ThrowIfNull(logicalKey);
        ArgumentNullException.ThrowIfNull(physicalKey);
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentNullException.ThrowIfNull(hash.Type);
        ArgumentNullException.ThrowIfNull(hash.Value);
        if (size < 0)
        {
            throw QuiltException.InvalidInput(
                $"Entry '{logicalKey}' has a negative size ({size}).",
                "Pass the object's size in bytes.");
        }

        LogicalKey = logicalKey;
        PhysicalKey = physicalKey;
        _size = size;
        _hash = hash;
        SizeValue = new JsonInteger(size);
        HashValue = new JsonObject([new("type", new JsonString(hash.Type)), new("value", new JsonString(hash.Value))]);
        MetaValue = meta is { IsTruthy: true } ? meta : JsonObject.Empty;
    }

    /// <summary>Creates an entry from a manifest line, keeping the raw values.</summary>
    internal ManifestEntry(string logicalKey, string physicalKey, JsonValue size, JsonValue hash, JsonValue meta)
    {
        LogicalKey = logicalKey;
        PhysicalKey = physicalKey;
        SizeValue = size;
        HashValue = hash;
        MetaValue = meta.IsTruthy ? meta : JsonObject.Empty;
        _size = ToSize(size);
        _hash = ToHash(hash);
    }

    /// <summary>Path of the entry inside the package, for example <c>data/a.csv</c>.</summary>
    public string LogicalKey { get; }

    /// <summary>URL of the bytes (<c>s3://bucket/key?versionId=…</c> or <c>file:///…</c>), element 0 of <c>physical_keys</c>.</summary>
    public string PhysicalKey { get; }

    /// <summary>Size in bytes.</summary>
    /// <exception cref="QuiltException">Kind <see cref="QuiltErrorKind.Integrity"/> when the manifest line had no usable size (null, not a whole number).</exception>
    public long Size => _size ?? throw QuiltException.Integrity(
        $"Entry '{LogicalKey}' has no usable size (manifest value {JsonText.SerializeCanonical(SizeValue)}).",
        "The manifest is incomplete or malformed; rebuild the package.");

    /// <summary>The object hash.</summary>
    /// <exception cref="QuiltException">Kind <see cref="QuiltErrorKind.Integrity"/> when the manifest line had no <c>{"type", "value"}</c> hash (for example null).</exception>
    public QuiltHash Hash => _hash ?? throw QuiltException.Integrity(
        $"Entry '{LogicalKey}' has no usable hash (manifest value {JsonText.SerializeCanonical(HashValue)}).",
        "The manifest is incomplete or malformed; rebuild the package.");

    /// <summary>Whether both <see cref="Size"/> and <see cref="Hash"/> can be read (always true for entries built in code).</summary>
    public bool HasSizeAndHash => _size.HasValue && _hash is not null;

    /// <summary>
    /// The full entry metadata; <c>{}</c> when the manifest had a falsy value (quilt3's <c>meta or {}</c>) or, for
    /// a foreign manifest, a non-object (which is still kept for hashing and writing).
    /// </summary>
    public JsonObject Meta => MetaValue as JsonObject ?? JsonObject.Empty;

    /// <summary>The user metadata, <c>meta.user_meta</c>, or null when absent (a JSON <c>null</c> is returned as <see cref="JsonNull"/>).</summary>
    public JsonValue? UserMeta => Meta.TryGetValue("user_meta", out var value) ? value : null;

    /// <summary><c>size</c> exactly as read or written.</summary>
    internal JsonValue SizeValue { get; }

    /// <summary><c>hash</c> exactly as read or written.</summary>
    internal JsonValue HashValue { get; }

    /// <summary><c>meta</c> as hashed and written (falsy already replaced by <c>{}</c>).</summary>
    internal JsonValue MetaValue { get; }

    private static long? ToSize(JsonValue size) => size switch
    {
        JsonInteger i when i.Value >= 0 && i.Value <= long.MaxValue => (long)i.Value,
        JsonFloat f when f.Value >= 0 && f.Value < 9.2233720368547758E18 && Math.Floor(f.Value) == f.Value => (long)f.Value,
        _ => null,
    };

    private static QuiltHash? ToHash(JsonValue hash) =>
        hash is JsonObject o && o.TryGetValue("type", out var type) && type is JsonString t &&
        o.TryGetValue("value", out var value) && value is JsonString v
            ? new QuiltHash(t.Value, v.Value)
            : null;
}
