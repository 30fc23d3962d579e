using Quilt.Core.Errors;
using Quilt.Core.Naming;

namespace Quilt.Storage;

/// <summary>
/// A source or registry location as a user writes it (DESIGN.md §2): <c>s3://bucket[/prefix]</c>, <c>file:///abs/path</c>,
/// or a plain local path (relative paths are made absolute). For S3 the key is taken as written (not percent-decoded),
/// like the AWS CLI does; for local folders the folder itself stands in for the bucket and <see cref="Key"/> is empty.
/// </summary>
/// <param name="Scheme"><c>s3</c> or <c>file</c>.</param>
/// <param name="Bucket">Bucket name, or the absolute folder path.</param>
/// <param name="Key">The key or prefix below the bucket (empty for a whole bucket or a local folder).</param>
public sealed record StorageUri(string Scheme, string Bucket, string Key)
{
    /// <summary>True for <c>s3://</c> locations.</summary>
    public bool IsS3 => Scheme == "s3";

    /// <summary>Parses <paramref name="text"/>; throws <see cref="QuiltException"/> (InvalidInput) for anything else.</summary>
    public static StorageUri Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw QuiltException.InvalidInput("No location was given.", "Give s3://bucket/prefix, file:///path or a folder path.");
        }

        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return new StorageUri("file", Path.TrimEndingDirectorySeparator(Path.GetFullPath(text)), string.Empty);
        }

        var scheme = text[..schemeEnd].ToLowerInvariant();
        var rest = text[(schemeEnd + 3)..];
        switch (scheme)
        {
            case "s3":
                {
                    var slash = rest.IndexOf('/', StringComparison.Ordinal);
                    var bucket = slash < 0 ? rest : rest[..slash];
                    if (bucket.Length == 0 || bucket.Any(char.IsWhiteSpace))
                    {
                        throw QuiltException.InvalidInput($"'{text}' names no bucket.", "Write s3://bucket-name/optional/prefix.");
                    }

                    return new StorageUri("s3", bucket, slash < 0 ? string.Empty : rest[(slash + 1)..]);
                }

            case "file":
                {
                    var slash = rest.IndexOf('/', StringComparison.Ordinal);
                    var host = slash < 0 ? rest : rest[..slash];
                    if (slash < 0 || (host.Length > 0 && !host.Equals("localhost", StringComparison.OrdinalIgnoreCase)))
                    {
                        throw QuiltException.InvalidInput($"'{text}' is not a local file URL.", "Write file:///absolute/path (three slashes), or give a plain path.");
                    }

                    if (rest.Contains('?', StringComparison.Ordinal) || rest.Contains('#', StringComparison.Ordinal))
                    {
                        throw QuiltException.InvalidInput($"'{text}' has a query or fragment; a file URL names a folder only.", "Percent-encode '?' and '#' in paths (%3F, %23).");
                    }

                    var path = Uri.UnescapeDataString(rest[slash..]);
                    if (OperatingSystem.IsWindows() && path.Length > 2 && path[2] == ':')
                    {
                        path = path[1..]; // file:///C:/x
                    }

                    return new StorageUri("file", Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)), string.Empty);
                }

            default:
                throw QuiltException.InvalidInput($"'{text}' uses the scheme '{scheme}', which is not supported.", "Use s3://bucket/prefix or a local folder (file:///path).");
        }
    }

    /// <summary>The location as a URI: <c>s3://bucket/key</c> or <c>file:///percent-encoded/path</c>.</summary>
    public override string ToString() => IsS3 ? $"s3://{Bucket}/{Key}" : PhysicalKey.Local(Bucket).ToString();
}
