using System.Globalization;
using System.Text;
using Quilt.Core.Json;

namespace Quilt.Core.Schema.Internal;

/// <summary>
/// Renders values inside error messages the way Python's jsonschema does (<c>repr</c>): strings in single
/// quotes, <c>{'a': 1}</c>, floats as Python prints them; but JSON literals <c>true</c>/<c>false</c>/<c>null</c>,
/// since readers think in JSON. Long renderings are cut so one huge value cannot flood a message.
/// </summary>
internal static class ValueText
{
    public const int DefaultLimit = 80;

    private const int MaxIntegerBits = 1024;

    public static string Describe(QuiltJsonValue value, int limit = DefaultLimit)
    {
        var builder = new StringBuilder();
        Append(builder, value, limit + 1);
        if (builder.Length > limit)
        {
            builder.Length = limit;
            builder.Append("...");
        }

        return builder.ToString();
    }

    public static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2);
        AppendString(builder, text);
        return builder.ToString();
    }

    public static string Float(double value) => PythonFloat.Repr(value);

    private static void Append(StringBuilder builder, QuiltJsonValue value, int budget)
    {
        if (builder.Length > budget)
        {
            return;
        }

        switch (value)
        {
            case QuiltJsonString s:
                AppendString(builder, s.Value);
                break;
            case QuiltJsonFloat f:
                builder.Append(Float(f.Value));
                break;
            case QuiltJsonInteger i when i.Value.GetBitLength() > MaxIntegerBits:
                // Printing a huge integer in full is slow (quadratic) and useless in a message.
                var digits = (long)Math.Ceiling(i.Value.GetBitLength() * Math.Log10(2));
                builder.Append(i.Value.Sign < 0 ? "-" : string.Empty).Append("<integer of about ").Append(digits.ToString(CultureInfo.InvariantCulture)).Append(" digits>");
                break;
            case QuiltJsonArray a:
                builder.Append('[');
                for (var i = 0; i < a.Count && builder.Length <= budget; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(", ");
                    }

                    Append(builder, a[i], budget);
                }

                builder.Append(']');
                break;
            case QuiltJsonObject o:
                builder.Append('{');
                var first = true;
                foreach (var member in o)
                {
                    if (builder.Length > budget)
                    {
                        break;
                    }

                    if (!first)
                    {
                        builder.Append(", ");
                    }

                    first = false;
                    AppendString(builder, member.Key);
                    builder.Append(": ");
                    Append(builder, member.Value, budget);
                }

                builder.Append('}');
                break;
            default:
                builder.Append(value.ToString());
                break;
        }
    }

    private static void AppendString(StringBuilder builder, string text)
    {
        var quote = text.Contains('\'', StringComparison.Ordinal) && !text.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        builder.Append(quote);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\':
                    builder.Append(@"\\");
                    break;
                case '\n':
                    builder.Append(@"\n");
                    break;
                case '\r':
                    builder.Append(@"\r");
                    break;
                case '\t':
                    builder.Append(@"\t");
                    break;
                default:
                    if (c == quote)
                    {
                        builder.Append('\\').Append(c);
                    }
                    else if (c < 0x20 || c == 0x7F)
                    {
                        builder.Append(@"\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append(quote);
    }
}
