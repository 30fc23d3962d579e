using System.Diagnostics.CodeAnalysis;
using Quilt.Core.Errors;
using Quilt.Core.Naming.Internal;

namespace Quilt.Core.Naming;

/// <summary>
/// Where an entry's bytes live (quilt-format §5.5): an S3 object <c>s3://bucket/key?versionId=…</c> or a local
/// file <c>file:///abs/path</c>. <see cref="ToString"/> produces the URL byte for byte as quilt3 writes it into
/// manifests (explicit percent-encoder, uppercase hex), and <see cref="Parse"/> accepts what quilt3 accepts,
/// so manifests round-trip. Physical keys are not part of the top hash, but readers of the manifest
/// (quilt3, the catalog) must be able to find the bytes.
/// </summary>
public sealed record PhysicalKey
{
    private const string Hint = "Use s3://bucket/key (optionally ?versionId=…) or file:///absolute/path, with special characters percent-encoded.";

    private readonly string? _bucket;
    private readonly string? _key;

    private PhysicalKey(string? bucket, string? key, string? versionId, string? localPath)
    {
        _bucket = bucket;
        _key = key;
        VersionId = versionId;
        LocalPath = localPath;
    }

    /// <summary>Whether this is an S3 object (then <see cref="Bucket"/> and <see cref="Key"/> are set).</summary>
    public bool IsS3 => _bucket is not null;

    /// <summary>Whether this is a local file (then <see cref="LocalPath"/> is set).</summary>
    public bool IsLocal => LocalPath is not null;

    /// <summary>The S3 bucket.</summary>
    /// <exception cref="InvalidOperationException">This is a local path.</exception>
    public string Bucket => _bucket ?? throw NotS3();

    /// <summary>The S3 object key, decoded (may be empty for a bucket root, may start with <c>/</c>).</summary>
    /// <exception cref="InvalidOperationException">This is a local path.</exception>
    public string Key => _key ?? throw NotS3();

    /// <summary>The S3 version id (<c>"null"</c> for objects written before versioning), or null when unversioned or local.</summary>
    public string? VersionId { get; }

    /// <summary>
    /// The absolute local path (POSIX, or a Windows drive path with <c>/</c> separators such as <c>C:/data/a.csv</c>),
    /// or null for S3.
    /// </summary>
    public string? LocalPath { get; }

    /// <summary>An S3 physical key.</summary>
    /// <param name="bucket">The bucket name: letters, digits, <c>.</c>, <c>-</c>, <c>_</c>.</param>
    /// <param name="key">The object key as stored in S3 (any Unicode text).</param>
    /// <param name="versionId">The object version, or null (an empty string also means none).</param>
    /// <exception cref="QuiltException">Bad bucket name or text with no UTF-8 form (kind InvalidInput).</exception>
    public static PhysicalKey S3(string bucket, string key, string? versionId = null)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        ArgumentNullException.ThrowIfNull(key);
        var problem = CheckBucket(bucket)
            ?? (UrlEncoding.EncodePath(key) is null ? "the key contains a lone UTF-16 surrogate" : null)
            ?? (versionId is not null && UrlEncoding.EncodeFormValue(versionId) is null ? "the version id contains a lone UTF-16 surrogate" : null);
        if (problem is not null)
        {
            throw QuiltException.InvalidInput($"Invalid S3 location (bucket '{bucket}'): {problem}.", "Pass the bucket name and the object key exactly as S3 lists them.");
        }

        return new PhysicalKey(bucket, key, string.IsNullOrEmpty(versionId) ? null : versionId, null);
    }

    /// <summary>A local file. The path must be absolute; resolving symlinks (as quilt3 does) is the caller's job.</summary>
    /// <param name="absolutePath">A POSIX absolute path (<c>/home/u/a.txt</c>) or a Windows drive path (<c>C:\data\a.txt</c>).</param>
    /// <exception cref="QuiltException">The path is relative or has no UTF-8 form (kind InvalidInput).</exception>
    public static PhysicalKey Local(string absolutePath)
    {
        ArgumentNullException.ThrowIfNull(absolutePath);
        var normalized = IsWindowsDrivePath(absolutePath) ? absolutePath.Replace('\\', '/') : absolutePath;
        if (!normalized.StartsWith('/') && !IsWindowsDrivePath(normalized))
        {
            throw QuiltException.InvalidInput($"Local path '{absolutePath}' is not absolute.", "Pass a full path such as /home/me/data.csv.");
        }

        if (UrlEncoding.EncodePath(normalized) is null)
        {
            throw QuiltException.InvalidInput($"Local path '{absolutePath}' contains a lone UTF-16 surrogate and has no URL form.", "Rename the file to valid Unicode.");
        }

        return new PhysicalKey(null, null, null, normalized);
    }

    /// <summary>Parses an <c>s3://</c> or <c>file://</c> URL as quilt3 does.</summary>
    /// <param name="url">The URL.</param>
    /// <exception cref="QuiltException">Not a valid physical key URL (kind InvalidInput); the message says what is wrong.</exception>
    public static PhysicalKey Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var result = ParseCore(url, out var problem);
        return result ?? throw QuiltException.InvalidInput($"Invalid physical key '{url}': {problem}.", Hint);
    }

    /// <summary>Parses an <c>s3://</c> or <c>file://</c> URL without throwing.</summary>
    /// <param name="url">The URL; null gives false.</param>
    /// <param name="key">The parsed key, or null.</param>
    public static bool TryParse([NotNullWhen(true)] string? url, [NotNullWhen(true)] out PhysicalKey? key)
    {
        key = url is null ? null : ParseCore(url, out _);
        return key is not null;
    }

    /// <summary>The same S3 object with another version (null for none); useful after a copy returned a new version.</summary>
    /// <param name="versionId">The version id, or null.</param>
    /// <exception cref="InvalidOperationException">This is a local path.</exception>
    public PhysicalKey WithVersionId(string? versionId) => S3(Bucket, Key, versionId);

    /// <summary>The URL exactly as quilt3 writes it in a manifest's <c>physical_keys</c>.</summary>
    public override string ToString()
    {
        if (LocalPath is not null)
        {
            if (IsWindowsDrivePath(LocalPath))
            {
                // Like Python's Windows pathname2url: the drive stays literal, the rest is quoted.
                return "file:///" + LocalPath[..2] + UrlEncoding.EncodePath(LocalPath[2..]);
            }

            return "file://" + UrlEncoding.EncodePath(LocalPath);
        }

        var url = "s3://" + _bucket + UrlEncoding.EncodePath("/" + _key);
        return VersionId is null ? url : url + "?versionId=" + UrlEncoding.EncodeFormValue(VersionId);
    }

    private static PhysicalKey? ParseCore(string url, out string problem)
    {
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon > 0 ? url[..colon].ToLowerInvariant() : string.Empty;
        if (scheme is not ("s3" or "file"))
        {
            problem = "the scheme must be s3:// or file://";
            return null;
        }

        var rest = url.AsSpan(colon + 1);
        if (rest.Contains('#'))
        {
            problem = "it contains '#' (a key containing '#' must be written as %23)";
            return null;
        }

        var netloc = ReadOnlySpan<char>.Empty;
        if (rest.StartsWith("//"))
        {
            rest = rest[2..];
            var end = rest.IndexOfAny('/', '?');
            netloc = end < 0 ? rest : rest[..end];
            rest = end < 0 ? ReadOnlySpan<char>.Empty : rest[end..];
        }

        var question = rest.IndexOf('?');
        var path = question < 0 ? rest : rest[..question];
        var query = question < 0 ? ReadOnlySpan<char>.Empty : rest[(question + 1)..];

        return scheme == "s3" ? ParseS3(netloc, path, query, out problem) : ParseFile(netloc, path, query, out problem);
    }

    private static PhysicalKey? ParseS3(ReadOnlySpan<char> netloc, ReadOnlySpan<char> path, ReadOnlySpan<char> query, out string problem)
    {
        var bucket = netloc.ToString();
        var bucketProblem = bucket.Length == 0 ? "the bucket is missing" : CheckBucket(bucket);
        if (bucketProblem is not null)
        {
            problem = bucketProblem;
            return null;
        }

        var decoded = UrlEncoding.Decode(path, plusAsSpace: false);
        if (decoded is null)
        {
            problem = "the key's percent-escapes are not valid UTF-8";
            return null;
        }

        string? versionId = null;
        foreach (var range in query.Split('&'))
        {
            var field = query[range];
            if (field.IsEmpty)
            {
                continue;
            }

            var equals = field.IndexOf('=');
            var name = equals < 0 ? null : UrlEncoding.Decode(field[..equals], plusAsSpace: true);
            if (name != "versionId")
            {
                problem = $"unexpected query '{field}' (only versionId is allowed)";
                return null;
            }

            var value = UrlEncoding.Decode(field[(equals + 1)..], plusAsSpace: true);
            if (value is null)
            {
                problem = "the versionId's percent-escapes are not valid UTF-8";
                return null;
            }

            // Python's parse_qs drops blank values and the first remaining one is used.
            if (versionId is null && value.Length > 0)
            {
                versionId = value;
            }
        }

        problem = string.Empty;
        return new PhysicalKey(bucket, decoded.Length == 0 ? string.Empty : decoded[1..], versionId, null);
    }

    private static PhysicalKey? ParseFile(ReadOnlySpan<char> netloc, ReadOnlySpan<char> path, ReadOnlySpan<char> query, out string problem)
    {
        if (!netloc.IsEmpty && !netloc.SequenceEqual("localhost"))
        {
            problem = $"unexpected host '{netloc}' (only an empty host or localhost is allowed)";
            return null;
        }

        if (path.IsEmpty)
        {
            problem = "the path is missing";
            return null;
        }

        if (path[0] != '/')
        {
            problem = "relative paths are not allowed";
            return null;
        }

        if (!query.IsEmpty)
        {
            problem = "a file URL cannot have a query";
            return null;
        }

        var decoded = UrlEncoding.Decode(path, plusAsSpace: false);
        if (decoded is null)
        {
            problem = "the path's percent-escapes are not valid UTF-8";
            return null;
        }

        problem = string.Empty;

        // A literal "X:" (not %3A) right after the root is a Windows drive, as Python's Windows url2pathname reads it.
        var local = IsWindowsDrivePath(path[1..]) ? decoded[1..] : decoded;
        return new PhysicalKey(null, null, null, local);
    }

    private static string? CheckBucket(string bucket)
    {
        if (bucket.Length == 0)
        {
            return "the bucket name is empty";
        }

        foreach (var c in bucket)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
            {
                return $"the bucket name '{bucket}' may only contain letters, digits, '.', '-' and '_'";
            }
        }

        return null;
    }

    /// <summary><c>X:</c> followed by a separator or the end: a Windows drive path.</summary>
    private static bool IsWindowsDrivePath(ReadOnlySpan<char> path) =>
        path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':' && (path.Length == 2 || path[2] is '/' or '\\');

    private InvalidOperationException NotS3() => new($"'{this}' is a local path, not an S3 object; check IsS3 first.");
}
