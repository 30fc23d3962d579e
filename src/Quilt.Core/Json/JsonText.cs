using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Quilt.Core.Errors;
using Quilt.Core.Json.Internal;

namespace Quilt.Core.Json;

/// <summary>
/// JSON text in and out, exactly as quilt3 (Python's <c>json</c> module) reads and writes it. The top hash is
/// computed over re-serialized values, so parsing must keep every distinction Python keeps (integer vs float,
/// big integers, NaN, duplicate names, lone surrogates) and the serializers must reproduce Python's bytes.
/// </summary>
public static class JsonText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Parses a JSON text with Python's rules: numbers with <c>.</c>, <c>e</c> or <c>E</c> become
    /// <see cref="QuiltJsonFloat"/> (overflow gives infinity), other numbers exact <see cref="QuiltJsonInteger"/>s;
    /// <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c> are accepted; a repeated name keeps its first position and
    /// takes the last value; <c>\uXXXX</c> escapes may leave lone surrogates. Whitespace is space, tab, CR, LF only.
    /// </summary>
    /// <exception cref="QuiltException">Kind <see cref="QuiltErrorKind.InvalidInput"/>, naming the character offset.</exception>
    public static QuiltJsonValue Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return JsonParser.Parse(text);
        }
        catch (JsonSyntaxException e)
        {
            throw QuiltException.InvalidInput(
                $"Invalid JSON: {e.Reason} (character {e.CharOffset}).",
                "Fix the JSON text at that position.");
        }
    }

    /// <summary>
    /// Parses strictly UTF-8 encoded JSON (invalid bytes, a byte order mark or encoded surrogates are errors, as
    /// with Python's <c>utf-8</c> codec); otherwise as <see cref="Parse(string)"/>.
    /// </summary>
    /// <exception cref="QuiltException">Kind <see cref="QuiltErrorKind.InvalidInput"/>, naming the byte offset.</exception>
    public static QuiltJsonValue Parse(ReadOnlySpan<byte> utf8)
    {
        var text = DecodeUtf8(utf8, out var invalidAt);
        if (text is null)
        {
            throw QuiltException.InvalidInput(
                $"Invalid UTF-8 at byte {invalidAt}.",
                "JSON must be UTF-8 encoded; re-encode the text.");
        }

        try
        {
            return JsonParser.Parse(text);
        }
        catch (JsonSyntaxException e)
        {
            throw QuiltException.InvalidInput(
                $"Invalid JSON: {e.Reason} (byte {ByteOffset(text, e.CharOffset)}).",
                "Fix the JSON text at that position.");
        }
    }

    /// <summary>
    /// Serializes the way quilt3 writes manifest lines (<c>json.dumps</c> with <c>ensure_ascii=False</c>,
    /// separators <c>", "</c> and <c>": "</c>, members in insertion order, floats as Python <c>repr</c>).
    /// </summary>
    /// <exception cref="QuiltException">
    /// Kind <see cref="QuiltErrorKind.InvalidInput"/> for NaN or infinite floats ("Out of range float values are
    /// not JSON compliant") and for strings with lone surrogates (they cannot be encoded as UTF-8).
    /// </exception>
    public static string Serialize(QuiltJsonValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var buffer = new ByteBuffer();
        JsonEmitter.WriteManifest(buffer, value);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Serializes to the canonical form hashed for the top hash (quilt-format §3.3): members sorted by code
    /// point at every level, no whitespace, ASCII only with lowercase <c>\uXXXX</c> escapes (surrogate pairs for
    /// supplementary characters, lone surrogates as themselves), <c>NaN</c>/<c>Infinity</c>/<c>-Infinity</c>
    /// literals, floats as Python <c>repr</c>.
    /// </summary>
    public static string SerializeCanonical(QuiltJsonValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var buffer = new ByteBuffer();
        JsonEmitter.WriteCanonical(buffer, value);
        return Encoding.ASCII.GetString(buffer.WrittenSpan);
    }

    /// <summary>Decodes strict UTF-8; null (and the offset of the first bad byte) when invalid.</summary>
    internal static string? DecodeUtf8(ReadOnlySpan<byte> utf8, out int invalidAt)
    {
        invalidAt = -1;
        if (Utf8.IsValid(utf8))
        {
            return StrictUtf8.GetString(utf8);
        }

        var scratch = ArrayPool<char>.Shared.Rent(utf8.Length);
        try
        {
            Utf8.ToUtf16(utf8, scratch, out invalidAt, out _, replaceInvalidSequences: false);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(scratch);
        }

        return null;
    }

    /// <summary>The UTF-8 byte offset of a character offset in <paramref name="text"/> (which has no lone surrogates).</summary>
    internal static int ByteOffset(string text, int charOffset) =>
        Encoding.UTF8.GetByteCount(text.AsSpan(0, Math.Min(charOffset, text.Length)));
}
