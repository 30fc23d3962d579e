using System.Text;

namespace Quilt.Storage.Internal;

/// <summary>
/// Writes physical keys exactly as quilt3 does (quilt-format §5.5). Kept here until <c>Quilt.Core.Naming.PhysicalKey</c>
/// lands; the two must agree byte for byte.
/// </summary>
internal static class PhysicalKeyEncoder
{
    /// <summary><c>s3://bucket/percent-encoded-key[?versionId=form-encoded]</c>.</summary>
    public static string S3(string bucket, string key, string? versionId)
    {
        var builder = new StringBuilder("s3://", bucket.Length + key.Length + 16).Append(bucket);
        AppendQuoted(builder, "/" + key, keepSlash: true, spaceAsPlus: false);
        if (!string.IsNullOrEmpty(versionId))
        {
            builder.Append("?versionId=");
            AppendQuoted(builder, versionId, keepSlash: false, spaceAsPlus: true);
        }

        return builder.ToString();
    }

    /// <summary><c>file://</c> + the percent-encoded absolute path.</summary>
    public static string File(string absolutePath)
    {
        var path = absolutePath.Replace('\\', '/');
        if (!path.StartsWith('/'))
        {
            path = "/" + path; // Windows: file:///C:/...
        }

        var builder = new StringBuilder("file://", path.Length + 8);
        AppendQuoted(builder, path, keepSlash: true, spaceAsPlus: false);
        return builder.ToString();
    }

    private static void AppendQuoted(StringBuilder builder, string text, bool keepSlash, bool spaceAsPlus)
    {
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.' or '_' or '~' || (keepSlash && c == '/'))
            {
                builder.Append(c);
            }
            else if (spaceAsPlus && c == ' ')
            {
                builder.Append('+');
            }
            else
            {
                builder.Append('%').Append(HexDigits[b >> 4]).Append(HexDigits[b & 0xF]);
            }
        }
    }

    private const string HexDigits = "0123456789ABCDEF";
}
