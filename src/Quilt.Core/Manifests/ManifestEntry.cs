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

    /// <summary>The manifest's <c>size</c> when it is not a plain non-negative integer (kept only then, to save memory).</summary>
    private readonly QuiltJsonValue? _rawSize;

    /// <summary>The manifest's <c>hash</c> when it is not exactly <c>{"type": str, "value": str}</c> (kept only then).</summary>
    private readonly QuiltJsonValue? _rawHash;

    /// <summary>Creates an entry for a file this program hashed itself.</summary>
    /// <param name="logicalKey">Path inside the package (rules in quilt-format §5.4 are checked elsewhere).</param>
    /// <param name="physicalKey">URL of the bytes, written as the single element of <c>physical_keys</c>.</param>
    /// <param name="size">Size in bytes, not negative.</param>
    /// <param name="hash">The object hash.</param>
    /// <param name="meta">Full entry metadata (user metadata nested at <c>user_meta</c>); null or falsy means <c>{}</c>.</param>
    /// <exception cref="QuiltException">Kind <see cref="QuiltErrorKind.InvalidInput"/> for a negative size.</exception>
    public ManifestEntry(string logicalKey, string physicalKey, long size, QuiltHash hash, QuiltJsonObject? meta = null)
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
        MetaValue = meta is { IsTruthy: true } ? meta : QuiltJsonObject.Empty;
    }

    /// <summary>Creates an entry from a manifest line, keeping the raw values where they are not the usual shape.</summary>
    internal ManifestEntry(string logicalKey, string physicalKey, QuiltJsonValue size, QuiltJsonValue hash, QuiltJsonValue meta)
    {
        LogicalKey = logicalKey;
        PhysicalKey = physicalKey;
        MetaValue = meta.IsTruthy ? meta : QuiltJsonObject.Empty;
        if (size is QuiltJsonInteger i && i.Value >= 0 && i.Value <= long.MaxValue)
        {
            _size = (long)i.Value;
        }
        else
        {
            _rawSize = size;
            _size = size is QuiltJsonFloat f && f.Value >= 0 && f.Value < 9.2233720368547758E18 && Math.Floor(f.Value) == f.Value ? (long)f.Value : null;
        }

        if (hash is QuiltJsonObject { Count: 2 } o && o[0] is { Key: "type", Value: QuiltJsonString type } && o[1] is { Key: "value", Value: QuiltJsonString value })
        {
            _hash = new QuiltHash(type.Value, value.Value);
        }
        else
        {
            _rawHash = hash;
            _hash = hash is QuiltJsonObject other && other.TryGetValue("type", out var t) && t is QuiltJsonString ts &&
                other.TryGetValue("value", out var v) && v is QuiltJsonString vs
                    ? new QuiltHash(ts.Value, vs.Value)
                    : null;
        }
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
    public QuiltJsonObject Meta => MetaValue as QuiltJsonObject ?? QuiltJsonObject.Empty;

    /// <summary>The user metadata, <c>meta.user_meta</c>, or null when absent (a JSON <c>null</c> is returned as <see cref="QuiltJsonNull"/>).</summary>
    public QuiltJsonValue? UserMeta => Meta.TryGetValue("user_meta", out var value) ? value : null;

    /// <summary><c>size</c> exactly as read or written.</summary>
    internal QuiltJsonValue SizeValue => _rawSize ?? new QuiltJsonInteger(_size!.Value);

    /// <summary><c>hash</c> exactly as read or written.</summary>
    internal QuiltJsonValue HashValue => _rawHash ?? StandardHash(_hash!);

    /// <summary>The plain size when <c>size</c> was an ordinary integer, else null (then <see cref="SizeValue"/> is the raw value).</summary>
    internal long? PlainSize => _rawSize is null ? _size : null;

    /// <summary>The hash when <c>hash</c> was exactly <c>{"type", "value"}</c> in that order, else null.</summary>
    internal QuiltHash? PlainHash => _rawHash is null ? _hash : null;

    /// <summary><c>meta</c> as hashed and written (falsy already replaced by <c>{}</c>).</summary>
    internal QuiltJsonValue MetaValue { get; }

    /// <summary>Whether the top hash is undefined for this entry (quilt3: hash or size is None).</summary>
    internal bool MissingHashOrSize => _rawSize is QuiltJsonNull || _rawHash is QuiltJsonNull;

    private static QuiltJsonObject StandardHash(QuiltHash hash) =>
        new([new("type", new QuiltJsonString(hash.Type)), new("value", new QuiltJsonString(hash.Value))]);
}
