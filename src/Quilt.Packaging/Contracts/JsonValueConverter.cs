using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Quilt.Core.Json;

namespace Quilt.Packaging.Contracts;

/// <summary>
/// Bridges Quilt's <see cref="QuiltJsonValue"/> (exact integers, NaN, ordered members) and System.Text.Json, which the
/// CLI's <c>--json</c> output and the MCP SDK use. Integers are written exactly; NaN and infinities, which JSON
/// cannot carry, are written as the strings <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>.
/// </summary>
public sealed class JsonValueConverter : JsonConverter<QuiltJsonValue>
{
    /// <summary>Shared instance.</summary>
    public static readonly JsonValueConverter Instance = new();

    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <summary>Converts a parsed System.Text.Json element (e.g. an MCP tool argument) to a Quilt value.</summary>
    public static QuiltJsonValue FromElement(JsonElement element) => element.ValueKind switch
    {
        System.Text.Json.JsonValueKind.Null or System.Text.Json.JsonValueKind.Undefined => QuiltJsonNull.Instance,
        System.Text.Json.JsonValueKind.True => QuiltJsonBool.True,
        System.Text.Json.JsonValueKind.False => QuiltJsonBool.False,
        System.Text.Json.JsonValueKind.String => new QuiltJsonString(element.GetString()!),
        System.Text.Json.JsonValueKind.Number => FromNumberText(element.GetRawText()),
        System.Text.Json.JsonValueKind.Array => new QuiltJsonArray(element.EnumerateArray().Select(FromElement)),
        _ => new QuiltJsonObject(element.EnumerateObject().Select(p => new KeyValuePair<string, QuiltJsonValue>(p.Name, FromElement(p.Value)))),
    };

    /// <inheritdoc />
    public override QuiltJsonValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return FromElement(document.RootElement);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, QuiltJsonValue value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value)
        {
            case null or QuiltJsonNull:
                writer.WriteNullValue();
                break;
            case QuiltJsonBool b:
                writer.WriteBooleanValue(b.Value);
                break;
            case QuiltJsonInteger i:
                writer.WriteRawValue(i.Value.ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
                break;
            case QuiltJsonFloat f when double.IsNaN(f.Value):
                writer.WriteStringValue("NaN");
                break;
            case QuiltJsonFloat f when double.IsInfinity(f.Value):
                writer.WriteStringValue(f.Value > 0 ? "Infinity" : "-Infinity");
                break;
            case QuiltJsonFloat f:
                writer.WriteNumberValue(f.Value);
                break;
            case QuiltJsonString s:
                writer.WriteStringValue(s.Value);
                break;
            case QuiltJsonArray a:
                writer.WriteStartArray();
                foreach (var item in a)
                {
                    Write(writer, item, options);
                }

                writer.WriteEndArray();
                break;
            case QuiltJsonObject o:
                writer.WriteStartObject();
                foreach (var member in o)
                {
                    writer.WritePropertyName(member.Key);
                    Write(writer, member.Value, options);
                }

                writer.WriteEndObject();
                break;
        }
    }

    private static QuiltJsonValue FromNumberText(string text) =>
        text.AsSpan().IndexOfAny(".eE") >= 0
            ? new QuiltJsonFloat(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture))
            : new QuiltJsonInteger(BigInteger.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
}
