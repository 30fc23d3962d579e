using System.Text;

namespace Quilt.Storage.Internal;

/// <summary>
/// HTTP headers carry ASCII only, so non-ASCII user metadata reaches us encoded: S3 returns RFC 2047 encoded words
/// (<c>=?UTF-8?B?…?=</c>), and the AWS SDKs' optional metadata escaping produces percent-encoded UTF-8. Packages
/// should hold the text a person wrote, so both are decoded; anything that does not decode cleanly stays as sent.
/// </summary>
internal static class MetadataValues
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The decoded value, or <paramref name="value"/> unchanged when it is not an encoded form.</summary>
    public static string Decode(string value)
    {
        if (value.Contains("=?", StringComparison.Ordinal) && TryDecodeEncodedWords(value, out var words))
        {
            return words;
        }

        if (value.Contains('%', StringComparison.Ordinal) && TryDecodePercent(value, out var percent))
        {
            return percent;
        }

        return value;
    }

    /// <summary>Encodes a value for a header: ASCII stays, anything else becomes one RFC 2047 B-encoded word, which S3 decodes on write.</summary>
    public static string EncodeForHeader(string value)
    {
        foreach (var c in value)
        {
            if (c > 0x7E || (c < 0x20 && c != '\t'))
            {
                return "=?UTF-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) + "?=";
            }
        }

        return value;
    }

    private static bool TryDecodeEncodedWords(string value, out string decoded)
    {
        decoded = value;
        var result = new StringBuilder(value.Length);
        var position = 0;
        var sawWord = false;
        var lastWasWord = false;
        while (position < value.Length)
        {
            var start = value.IndexOf("=?", position, StringComparison.Ordinal);
            if (start < 0)
            {
                result.Append(value, position, value.Length - position);
                break;
            }

            var between = value[position..start];
            if (!(lastWasWord && string.IsNullOrWhiteSpace(between)))
            {
                result.Append(between); // whitespace between two encoded words is dropped (RFC 2047 §6.2)
            }

            if (!TryDecodeWord(value, start, out var text, out var end))
            {
                return false;
            }

            result.Append(text);
            sawWord = true;
            lastWasWord = true;
            position = end;
        }

        if (sawWord)
        {
            decoded = result.ToString();
        }

        return sawWord;
    }

    private static bool TryDecodeWord(string value, int start, out string text, out int end)
    {
        text = string.Empty;
        end = start;
        var charsetEnd = value.IndexOf('?', start + 2);
        if (charsetEnd < 0 || charsetEnd + 2 >= value.Length || value[charsetEnd + 2] != '?')
        {
            return false;
        }

        var payloadEnd = value.IndexOf("?=", charsetEnd + 3, StringComparison.Ordinal);
        if (payloadEnd < 0)
        {
            return false;
        }

        var charset = value[(start + 2)..charsetEnd];
        var mode = char.ToUpperInvariant(value[charsetEnd + 1]);
        var payload = value[(charsetEnd + 3)..payloadEnd];
        Encoding encoding;
        try
        {
            encoding = charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) ? StrictUtf8 : Encoding.GetEncoding(charset);
        }
        catch (ArgumentException)
        {
            return false;
        }

        try
        {
            byte[] bytes;
            if (mode == 'B')
            {
                bytes = Convert.FromBase64String(payload);
            }
            else if (mode == 'Q')
            {
                if (!TryUnescape(payload.Replace('_', ' '), '=', out bytes))
                {
                    return false;
                }
            }
            else
            {
                return false;
            }

            text = encoding.GetString(bytes);
        }
        catch (FormatException)
        {
            return false;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        end = payloadEnd + 2;
        return true;
    }

    private static bool TryDecodePercent(string value, out string decoded)
    {
        decoded = value;
        if (!TryUnescape(value, '%', out var bytes) || bytes.All(b => b < 0x80))
        {
            return false; // only decode when it yields non-ASCII text; "100%25" may well be meant literally
        }

        try
        {
            decoded = StrictUtf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static bool TryUnescape(string text, char escape, out byte[] bytes)
    {
        var output = new List<byte>(text.Length);
        bytes = [];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == escape)
            {
                if (i + 2 >= text.Length || !Uri.IsHexDigit(text[i + 1]) || !Uri.IsHexDigit(text[i + 2]))
                {
                    return false;
                }

                output.Add((byte)((Uri.FromHex(text[i + 1]) << 4) | Uri.FromHex(text[i + 2])));
                i += 2;
            }
            else if (c > 0x7F)
            {
                return false;
            }
            else
            {
                output.Add((byte)c);
            }
        }

        bytes = [.. output];
        return true;
    }
}
