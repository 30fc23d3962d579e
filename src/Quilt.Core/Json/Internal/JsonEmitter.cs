using System.Buffers;
using System.Globalization;
using System.Text.Unicode;
using Quilt.Core.Errors;

namespace Quilt.Core.Json.Internal;

/// <summary>
/// Writes JSON values as UTF-8 bytes in the two styles quilt3 uses: the manifest style
/// (<c>json.dumps(ensure_ascii=False, allow_nan=False)</c>, <c>", "</c>/<c>": "</c>, insertion order) and the
/// canonical style behind the top hash (<c>sort_keys=True</c>, <c>","</c>/<c>":"</c>, <c>ensure_ascii=True</c>,
/// <c>allow_nan=True</c>).
/// </summary>
internal static class JsonEmitter
{
    private static ReadOnlySpan<byte> HexDigits => "0123456789abcdef"u8;

    /// <summary>Appends <paramref name="value"/> in canonical style (pure ASCII).</summary>
    public static void WriteCanonical(ByteBuffer buffer, QuiltJsonValue value) => Write(buffer, value, canonical: true, 0);

    /// <summary>Appends <paramref name="value"/> in canonical style (<paramref name="canonical"/>) or manifest style.</summary>
    public static void Write(ByteBuffer buffer, QuiltJsonValue value, bool canonical) => Write(buffer, value, canonical, 0);

    /// <summary>Appends <paramref name="value"/> in quilt3's manifest style (UTF-8).</summary>
    public static void WriteManifest(ByteBuffer buffer, QuiltJsonValue value) => Write(buffer, value, canonical: false, 0);

    /// <summary>Appends a string in canonical style: ASCII only, lowercase <c>\uXXXX</c> for everything else.</summary>
    public static void WriteCanonicalString(ByteBuffer buffer, string value)
    {
        var span = buffer.GetSpan((value.Length * 6) + 2);
        var n = 0;
        span[n++] = (byte)'"';
        foreach (var c in value)
        {
            if (c >= 0x20 && c <= 0x7E && c != '"' && c != '\\')
            {
                span[n++] = (byte)c;
                continue;
            }

            n += WriteEscape(span[n..], c);
        }

        span[n++] = (byte)'"';
        buffer.Advance(n);
    }

    /// <summary>
    /// Appends a string in manifest style: only <c>"</c>, <c>\</c> and U+0000–U+001F are escaped, everything else
    /// is raw UTF-8. A lone surrogate cannot be encoded, as in Python.
    /// </summary>
    public static void WriteManifestString(ByteBuffer buffer, string value)
    {
        buffer.Append((byte)'"');
        var rest = value.AsSpan();
        while (!rest.IsEmpty)
        {
            var run = rest.IndexOfAnyInRange('\u0000', '\u001F');
            var quote = rest.IndexOfAny('"', '\\');
            var stop = run < 0 ? quote : quote < 0 ? run : Math.Min(run, quote);
            var plain = stop < 0 ? rest : rest[..stop];
            if (!plain.IsEmpty)
            {
                var target = buffer.GetSpan(plain.Length * 3);
                var status = Utf8.FromUtf16(plain, target, out _, out var written, replaceInvalidSequences: false);
                if (status != OperationStatus.Done)
                {
                    throw QuiltException.InvalidInput(
                        "A string contains a lone UTF-16 surrogate and cannot be encoded as UTF-8: " + Preview(value),
                        "Remove or replace the unpaired surrogate (for example a \\ud800 escape) in keys and metadata.");
                }

                buffer.Advance(written);
            }

            if (stop < 0)
            {
                break;
            }

            var span = buffer.GetSpan(6);
            buffer.Advance(WriteEscape(span, rest[stop]));
            rest = rest[(stop + 1)..];
        }

        buffer.Append((byte)'"');
    }

    /// <summary>One writer for both styles: they differ in separators, member order, string escaping and non-finite floats.</summary>
    private static void Write(ByteBuffer buffer, QuiltJsonValue value, bool canonical, int depth)
    {
        switch (value)
        {
            case QuiltJsonString s:
                WriteString(buffer, s.Value, canonical);
                break;
            case QuiltJsonObject o:
                CheckDepth(depth);
                buffer.Append((byte)'{');
                var sorted = canonical ? SortedMembers(o) : null;
                for (var i = 0; i < o.Count; i++)
                {
                    var member = sorted is null ? o[i] : sorted[i];
                    AppendSeparator(buffer, i, canonical);
                    WriteString(buffer, member.Key, canonical);
                    buffer.Append(canonical ? ":"u8 : ": "u8);
                    Write(buffer, member.Value, canonical, depth + 1);
                }

                buffer.Append((byte)'}');
                break;
            case QuiltJsonArray a:
                CheckDepth(depth);
                buffer.Append((byte)'[');
                for (var i = 0; i < a.Count; i++)
                {
                    AppendSeparator(buffer, i, canonical);
                    Write(buffer, a[i], canonical, depth + 1);
                }

                buffer.Append((byte)']');
                break;
            case QuiltJsonFloat f:
                buffer.AppendAscii(canonical ? CanonicalFloat(f.Value) : ManifestFloat(f.Value));
                break;
            default:
                WriteScalar(buffer, value);
                break;
        }
    }

    /// <summary>Appends a hash object <c>{"type": …, "value": …}</c> in either style, without building a JSON value.</summary>
    public static void WriteHashObject(ByteBuffer buffer, string type, string value, bool canonical)
    {
        buffer.Append(canonical ? "{\"type\":"u8 : "{\"type\": "u8);
        WriteString(buffer, type, canonical);
        buffer.Append(canonical ? ",\"value\":"u8 : ", \"value\": "u8);
        WriteString(buffer, value, canonical);
        buffer.Append((byte)'}');
    }

    private static void WriteString(ByteBuffer buffer, string value, bool canonical)
    {
        if (canonical)
        {
            WriteCanonicalString(buffer, value);
        }
        else
        {
            WriteManifestString(buffer, value);
        }
    }

    private static void AppendSeparator(ByteBuffer buffer, int index, bool canonical)
    {
        if (index > 0)
        {
            buffer.Append(canonical ? ","u8 : ", "u8);
        }
    }

    /// <summary>Python's <c>allow_nan=True</c> spelling of non-finite values.</summary>
    private static string CanonicalFloat(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "Infinity"
        : double.IsNegativeInfinity(value) ? "-Infinity"
        : PythonFloat.Repr(value);

    private static string ManifestFloat(double value) => double.IsFinite(value)
        ? PythonFloat.Repr(value)
        : throw QuiltException.InvalidInput(
            "Out of range float values are not JSON compliant: " + PythonFloat.Repr(value),
            "quilt3 refuses NaN and Infinity when writing a manifest; replace them (for example with null or a string).");

    private static void WriteScalar(ByteBuffer buffer, QuiltJsonValue value)
    {
        switch (value)
        {
            case QuiltJsonNull:
                buffer.Append("null"u8);
                break;
            case QuiltJsonBool b:
                buffer.Append(b.Value ? "true"u8 : "false"u8);
                break;
            case QuiltJsonInteger i:
                WriteInteger(buffer, i);
                break;
            default:
                throw new InvalidOperationException("Unknown JSON value type " + value.GetType().Name);
        }
    }

    /// <summary>Appends an integer (same text in both styles).</summary>
    public static void WriteInteger(ByteBuffer buffer, long value)
    {
        var span = buffer.GetSpan(20);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        buffer.Advance(written);
    }

    private static void WriteInteger(ByteBuffer buffer, QuiltJsonInteger integer)
    {
        var value = integer.Value;
        if (value >= long.MinValue && value <= long.MaxValue)
        {
            WriteInteger(buffer, (long)value);
            return;
        }

        buffer.AppendAscii(value.ToString(CultureInfo.InvariantCulture));
    }

    private static KeyValuePair<string, QuiltJsonValue>[] SortedMembers(QuiltJsonObject obj)
    {
        var members = new KeyValuePair<string, QuiltJsonValue>[obj.Count];
        for (var i = 0; i < members.Length; i++)
        {
            members[i] = obj[i];
        }

        if (members.Length > 1)
        {
            Array.Sort(members, static (x, y) => CodePointOrder.Compare(x.Key, y.Key, slashLowest: false));
        }

        return members;
    }

    private static int WriteEscape(Span<byte> target, char c)
    {
        target[0] = (byte)'\\';
        switch (c)
        {
            case '"': target[1] = (byte)'"'; return 2;
            case '\\': target[1] = (byte)'\\'; return 2;
            case '\n': target[1] = (byte)'n'; return 2;
            case '\r': target[1] = (byte)'r'; return 2;
            case '\t': target[1] = (byte)'t'; return 2;
            case '\b': target[1] = (byte)'b'; return 2;
            case '\f': target[1] = (byte)'f'; return 2;
            default:
                target[1] = (byte)'u';
                target[2] = HexDigits[(c >> 12) & 0xF];
                target[3] = HexDigits[(c >> 8) & 0xF];
                target[4] = HexDigits[(c >> 4) & 0xF];
                target[5] = HexDigits[c & 0xF];
                return 6;
        }
    }

    private static void CheckDepth(int depth)
    {
        if (depth >= JsonParser.MaxDepth)
        {
            throw QuiltException.InvalidInput(
                $"JSON value nested deeper than {JsonParser.MaxDepth} levels.",
                "Flatten the metadata; quilt3 (Python) cannot handle such nesting either.");
        }
    }

    /// <summary>The start of a string, escaped to ASCII so that the error message itself stays encodable.</summary>
    private static string Preview(string value)
    {
        var buffer = new ByteBuffer();
        WriteCanonicalString(buffer, value.Length <= 40 ? value : value[..40]);
        var text = System.Text.Encoding.ASCII.GetString(buffer.WrittenSpan);
        return value.Length <= 40 ? text : text + "...";
    }
}
