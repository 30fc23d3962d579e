using Quilt.Core.Errors;
using Quilt.Core.Naming;

namespace Quilt.Storage;

/// <summary>
/// Where a source, an object or a registry is: an S3 bucket with a key (or prefix) and an optional version, or a local
/// folder or file. Every layer passes this value on, so a location is parsed once, where the user's text comes in.
/// </summary>
/// <remarks>
/// <para>The one rule for text (<see cref="Parse"/>):</para>
/// <list type="bullet">
/// <item><c>s3://bucket[/key][?versionId=…]</c> is S3. The key is taken as written (not percent-decoded, as the AWS CLI
/// takes it); only a trailing <c>?versionId=…</c> is split off (and decoded).</item>
/// <item><c>file:///abs/path</c> (or <c>file://localhost/…</c>) is a local path, percent-decoded.</item>
/// <item>Anything else with <c>scheme://</c> is refused.</item>
/// <item>Everything else is a local path: absolute, relative to the current folder, or <c>~/…</c>. A bare word such as
/// <c>samples</c> is the local folder <c>samples</c>; an S3 bucket is always written <c>s3://bucket</c>.</item>
/// </list>
/// <para>Shells whose parameter is a bucket name by contract (the MCP tools' <c>bucket</c>, <c>source_bucket</c>, …)
/// build the value with <see cref="S3"/> instead of writing text to be parsed again.</para>
/// For a local location <see cref="Bucket"/> is the absolute folder (or file) path and <see cref="Key"/> a path below
/// it, as the local store takes them.
/// </remarks>
public sealed record StorageLocation
{
    private const string VersionQuery = "?versionId=";

    private StorageLocation(bool isS3, string bucket, string key, string? versionId)
    {
        IsS3 = isS3;
        Bucket = bucket;
        Key = key;
        VersionId = versionId;
    }

    /// <summary>True for S3 locations; false for local files and folders.</summary>
    public bool IsS3 { get; }

    /// <summary><c>s3</c> or <c>file</c>, as <see cref="IObjectStore.Scheme"/> names the store that serves it.</summary>
    public string Scheme => IsS3 ? "s3" : "file";

    /// <summary>The bucket name, or the absolute local path.</summary>
    public string Bucket { get; }

    /// <summary>The key or prefix below the bucket (or below the local path); empty for a whole bucket or folder.</summary>
    public string Key { get; }

    /// <summary>A pinned S3 version, or null for the current one.</summary>
    public string? VersionId { get; }

    /// <summary>An S3 location; the bucket name is checked (3–63 characters: lowercase letters, digits, '-', '.', '_').</summary>
    /// <exception cref="QuiltException">Not a valid bucket name, or an empty version id (kind InvalidInput).</exception>
    public static StorageLocation S3(string bucket, string key = "", string? versionId = null)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        ArgumentNullException.ThrowIfNull(key);
        if (bucket.Length is < 3 or > 63 || !bucket.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.' or '_'))
        {
            throw QuiltException.InvalidInput(
                $"'{bucket}' is not a valid S3 bucket name.",
                "Bucket names are 3-63 characters: lowercase letters, digits, '-' and '.'; write s3://bucket-name/optional/prefix.");
        }

        if (versionId is { Length: 0 })
        {
            throw QuiltException.InvalidInput($"s3://{bucket}/{key} has an empty versionId.", "Give the version after ?versionId=, or leave it out for the latest version.");
        }

        return new StorageLocation(true, bucket, key, versionId);
    }

    /// <summary>A local file or folder; a relative path is taken from the current folder, <c>~</c> is the home folder.</summary>
    /// <exception cref="QuiltException">The path is empty (kind InvalidInput).</exception>
    public static StorageLocation Local(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw QuiltException.InvalidInput("No local path was given.", "Give a folder path, e.g. ./data.");
        }

        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~', '/'));
        }

        return new StorageLocation(false, Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)), string.Empty, null);
    }

    /// <summary>Where a manifest's physical key points (already decoded by <see cref="PhysicalKey"/>).</summary>
    public static StorageLocation Of(PhysicalKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.IsS3 ? S3(key.Bucket, key.Key, key.VersionId) : Local(key.LocalPath!);
    }

    /// <summary>Parses what a person types, by the rule in the remarks; throws <see cref="QuiltException"/> (InvalidInput) with a hint otherwise.</summary>
    public static StorageLocation Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw QuiltException.InvalidInput("No location was given.", "Give s3://bucket/prefix, file:///path or a folder path.");
        }

        text = text.TrimStart(); // A key may end in spaces (S3 keeps them); leading ones are never part of a scheme.
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return Local(text);
        }

        var scheme = text[..schemeEnd].ToLowerInvariant();
        var rest = text[(schemeEnd + 3)..];
        return scheme switch
        {
            "s3" => ParseS3(text, rest),
            "file" => ParseFile(text, rest),
            _ => throw QuiltException.InvalidInput($"'{text}' uses the scheme '{scheme}', which is not supported.", "Use s3://bucket/prefix, file:///absolute/path or a local path."),
        };
    }

    /// <summary>The same bucket or folder with another key.</summary>
    public StorageLocation WithKey(string key) => new(IsS3, Bucket, key, null);

    /// <summary>The same bucket or folder with <paramref name="prefix"/> appended to the key (after a '/' when the key has none).</summary>
    public StorageLocation Below(string? prefix) =>
        string.IsNullOrEmpty(prefix) ? this : WithKey(Key.Length == 0 ? prefix : Key.TrimEnd('/') + "/" + prefix);

    /// <summary>The object this location names: for a local file its folder and file name, as the local store takes them.</summary>
    /// <exception cref="QuiltException">It names a bucket or folder, not an object (kind InvalidInput).</exception>
    public ObjectLocation ToObject()
    {
        var (bucket, key) = IsS3 || Key.Length > 0 ? (Bucket, Key) : (Path.GetDirectoryName(Bucket) ?? "/", Path.GetFileName(Bucket));
        if (key.Length == 0 || key.EndsWith('/'))
        {
            throw QuiltException.InvalidInput($"'{this}' names a bucket or folder, not an object.", "Give an object, e.g. s3://bucket/key.");
        }

        return new ObjectLocation(bucket, key, VersionId);
    }

    /// <summary>
    /// The location as text: <c>s3://bucket</c>, <c>s3://bucket/key</c> (the key as is, plus <c>?versionId=…</c>), or
    /// <c>file:///percent-encoded/path</c>. <see cref="Parse"/> reads it back to the same value.
    /// </summary>
    public override string ToString()
    {
        if (!IsS3)
        {
            return PhysicalKey.Local(Key.Length == 0 ? Bucket : Path.Combine(Bucket, Key)).ToString();
        }

        var text = Key.Length == 0 ? $"s3://{Bucket}" : $"s3://{Bucket}/{Key}";
        return VersionId is null ? text : text + VersionQuery + Uri.EscapeDataString(VersionId);
    }

    private static StorageLocation ParseS3(string text, string rest)
    {
        string? versionId = null;
        var query = rest.LastIndexOf(VersionQuery, StringComparison.Ordinal);
        if (query >= 0)
        {
            versionId = Uri.UnescapeDataString(rest[(query + VersionQuery.Length)..]);
            rest = rest[..query];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        if (bucket.Length == 0)
        {
            throw QuiltException.InvalidInput($"'{text}' names no bucket.", "Write s3://bucket-name/optional/prefix.");
        }

        return S3(bucket, slash < 0 ? string.Empty : rest[(slash + 1)..], versionId);
    }

    private static StorageLocation ParseFile(string text, string rest)
    {
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var host = slash < 0 ? rest : rest[..slash];
        if (slash < 0 || (host.Length > 0 && !host.Equals("localhost", StringComparison.OrdinalIgnoreCase)))
        {
            throw QuiltException.InvalidInput($"'{text}' is not a local file URL.", "Write file:///absolute/path (three slashes), or give a plain path.");
        }

        if (rest.Contains('?', StringComparison.Ordinal) || rest.Contains('#', StringComparison.Ordinal))
        {
            throw QuiltException.InvalidInput($"'{text}' has a query or fragment; a file URL names a path only.", "Percent-encode '?' and '#' in paths (%3F, %23).");
        }

        var path = Uri.UnescapeDataString(rest[slash..]);
        if (OperatingSystem.IsWindows() && path.Length > 2 && path[2] == ':')
        {
            path = path[1..]; // file:///C:/x
        }

        return Local(path);
    }
}
