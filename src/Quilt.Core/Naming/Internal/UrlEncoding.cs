using System.Text;

namespace Quilt.Core.Naming.Internal;

/// <summary>
/// Percent-encoding exactly as Python's <c>urllib.parse</c> does it for quilt3 physical keys (quilt-format §5.5).
/// .NET's <c>Uri.EscapeDataString</c> differs (it escapes <c>/</c>), hence this explicit encoder.
/// </summary>
internal static class UrlEncoding
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary><c>quote(text, safe='/')</c>: keeps <c>A–Z a–z 0–9 - . _ ~ /</c>, the rest as uppercase <c>%XX</c> of UTF-8.</summary>
    /// <returns>The encoded text, or null when <paramref name="text"/> has a lone surrogate (no UTF-8 form).</returns>
    public static string? EncodePath(string text) => Encode(text, keepSlash: true, spaceAsPlus: false);

    /// <summary><c>urlencode</c> value style (<c>quote_plus</c>): unreserved kept, space as <c>+</c>, everything else <c>%XX</c>.</summary>
    /// <returns>The encoded text, or null when <paramref name="text"/> has a lone surrogate.</returns>
    public static string? EncodeFormValue(string text) => Encode(text, keepSlash: false, spaceAsPlus: true);

    /// <summary>
    /// Decodes <c>%XX</c> escapes (and <c>+</c> as space when asked). Like Python, a <c>%</c> not followed by two
    /// hex digits stays literal. Returns null when the decoded bytes are not valid UTF-8.
    /// </summary>
    public static string? Decode(ReadOnlySpan<char> text, bool plusAsSpace)
    {
        if (text.IndexOfAny('%', '+') < 0)
        {
            return text.ToString();
        }

        var bytes = new List<byte>(text.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%' && i + 2 < text.Length && IsHex(text[i + 1]) && IsHex(text[i + 2]))
            {
                bytes.Add((byte)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2])));
                i += 2;
            }
            else if (c == '+' && plusAsSpace)
            {
                bytes.Add((byte)' ');
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var written = new Rune(c, text[i + 1]).EncodeToUtf8(utf8);
                AddRange(bytes, utf8[..written]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return null;
            }
            else
            {
                var written = new Rune(c).EncodeToUtf8(utf8);
                AddRange(bytes, utf8[..written]);
            }
        }

        try
        {
            return StrictUtf8.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static string? Encode(string text, bool keepSlash, bool spaceAsPlus)
    {
        byte[] bytes;
        try
        {
            bytes = StrictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            return null;
        }

        var builder = new StringBuilder(bytes.Length + 8);
        foreach (var b in bytes)
        {
            if (IsUnreserved(b) || (keepSlash && b == '/'))
            {
                builder.Append((char)b);
            }
            else if (spaceAsPlus && b == ' ')
            {
                builder.Append('+');
            }
            else
            {
                builder.Append('%').Append(HexDigit(b >> 4)).Append(HexDigit(b & 0xF));
            }
        }

        return builder.ToString();
    }

    private static bool IsUnreserved(byte b) =>
        b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~';

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'A' + value - 10);

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static void AddRange(List<byte> target, ReadOnlySpan<byte> source)
    {
        foreach (var b in source)
        {
            target.Add(b);
        }
    }
}
