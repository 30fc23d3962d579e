using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Quilt.Core.Json;

namespace Quilt.Packaging.Contracts;

/// <summary>
/// Bridges Quilt's <see cref="JsonValue"/> (exact integers, NaN, ordered members) and System.Text.Json, which the
/// CLI's <c>--json</c> output and the MCP SDK use. Integers are written exactly; NaN and infinities, which JSON
/// cannot carry, are written as the strings <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>.
/// </summary>
public sealed class JsonValueConverter : JsonConverter<JsonValue>
{
    /// <summary>Shared instance.</summary>
    public static readonly JsonValueConverter Instance = new();

    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <summary>Converts a parsed System.Text.Json element (e.g. an MCP tool argument) to a Quilt value.</summary>
    public static JsonValue FromElement(JsonElement element) => element.ValueKind switch
    {
        System.Text.Json.JsonValueKind.Null or System.Text.Json.JsonValueKind.Undefined => JsonNull.Instance,
        System.Text.Json.JsonValueKind.True => JsonBool.True,
        System.Text.Json.JsonValueKind.False => JsonBool.False,
        System.Text.Json.JsonValueKind.String => new JsonString(element.GetString()!),
        System.Text.Json.JsonValueKind.Number => FromNumberText(element.GetRawText()),
        System.Text.Json.JsonValueKind.Array => new JsonArray(element.EnumerateArray().Select(FromElement)),
        _ => new JsonObject(element.EnumerateObject().Select(p => new KeyValuePair<string, JsonValue>(p.Name, FromElement(p.Value)))),
    };

    /// <inheritdoc />
    public override JsonValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return FromElement(document.RootElement);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, JsonValue value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value)
        {
            case null or JsonNull:
                writer.WriteNullValue();
                break;
            case JsonBool b:
                writer.WriteBooleanValue(b.Value);
                break;
            case JsonInteger i:
                writer.WriteRawValue(i.Value.ToString(CultureInfo.InvariantCulture), skipInputValidation: true);
                break;
            case JsonFloat f when double.IsNaN(f.Value):
                writer.WriteStringValue("NaN");
                break;
            case JsonFloat f when double.IsInfinity(f.Value):
                writer.WriteStringValue(f.Value > 0 ? "Infinity" : "-Infinity");
                break;
            case JsonFloat f:
                writer.WriteNumberValue(f.Value);
                break;
            case JsonString s:
                writer.WriteStringValue(s.Value);
                break;
            case JsonArray a:
                writer.WriteStartArray();
                foreach (var item in a)
                {
                    Write(writer, item, options);
                }

                writer.WriteEndArray();
                break;
            case JsonObject o:
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

    private static JsonValue FromNumberText(string text) =>
        text.AsSpan().IndexOfAny(".eE") >= 0
            ? new JsonFloat(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture))
            : new JsonInteger(BigInteger.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
}
