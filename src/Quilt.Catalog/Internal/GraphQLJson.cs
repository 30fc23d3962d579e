using System.Globalization;
using System.Text.Json;
using Quilt.Core.Json;
using Quilt.Core.Errors;
using Quilt.Packaging.Contracts;

namespace Quilt.Catalog.Internal;

/// <summary>Small helpers to write GraphQL variables and read answers with System.Text.Json.</summary>
internal static class GraphQLJson
{
    private static readonly JsonSerializerOptions WriterOptions = new();

    /// <summary>Writes a Quilt JSON value exactly (integers stay integers).</summary>
    public static void WriteValue(Utf8JsonWriter writer, QuiltJsonValue value) => JsonValueConverter.Instance.Write(writer, value, WriterOptions);

    public static void WriteNullableString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>The member <paramref name="name"/> when present and not null.</summary>
    public static JsonElement? Member(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static string? String(JsonElement element, string name) => Member(element, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    public static string RequiredString(JsonElement element, string name, string what) =>
        String(element, name) ?? throw Malformed($"{what} has no '{name}'");

    /// <summary>A GraphQL <c>Float</c> or <c>Int</c> holding a whole number (sizes arrive as <c>123.0</c>).</summary>
    public static long? WholeNumber(JsonElement element, string name)
    {
        if (Member(element, name) is not { ValueKind: JsonValueKind.Number } v)
        {
            return null;
        }

        if (v.TryGetInt64(out var exact))
        {
            return exact;
        }

        var d = v.GetDouble();
        return double.IsFinite(d) && d >= long.MinValue && d <= long.MaxValue ? (long)Math.Round(d) : null;
    }

    public static DateTimeOffset? Time(JsonElement element, string name) =>
        String(element, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;

    /// <summary>A JSON member as a Quilt value (exact numbers, member order kept), or null when absent or null.</summary>
    public static QuiltJsonValue? Value(JsonElement element, string name) => Member(element, name) is { } v ? JsonValueConverter.FromElement(v) : null;

    public static QuiltException Malformed(string what) =>
        QuiltException.Transient($"The Quilt registry sent an answer this client does not understand: {what}.");
}
