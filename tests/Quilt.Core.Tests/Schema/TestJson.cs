using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Quilt.Core.Json;

namespace Quilt.Core.Tests.Schema;

/// <summary>
/// Test-side JSON reading (the project's own parser lives on another branch): System.Text.Json → JsonValue,
/// keeping integers apart from floats by the token text, as quilt3 (Python) does.
/// </summary>
internal static class TestJson
{
    public static JsonValue Parse(string text)
    {
        using var document = JsonDocument.Parse(text);
        return Convert(document.RootElement);
    }

    public static JsonValue Convert(JsonElement element) => element.ValueKind switch
    {
        System.Text.Json.JsonValueKind.Null => JsonNull.Instance,
        System.Text.Json.JsonValueKind.True => JsonBool.True,
        System.Text.Json.JsonValueKind.False => JsonBool.False,
        System.Text.Json.JsonValueKind.String => new JsonString(element.GetString()!),
        System.Text.Json.JsonValueKind.Number => Number(element.GetRawText()),
        System.Text.Json.JsonValueKind.Array => new JsonArray(element.EnumerateArray().Select(Convert)),
        System.Text.Json.JsonValueKind.Object => new JsonObject(element.EnumerateObject().Select(p => new KeyValuePair<string, JsonValue>(p.Name, Convert(p.Value)))),
        _ => throw new InvalidOperationException("Unexpected JSON element " + element.ValueKind),
    };

    private static JsonValue Number(string raw) =>
        raw.IndexOfAny(['.', 'e', 'E']) >= 0
            ? new JsonFloat(double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture))
            : new JsonInteger(BigInteger.Parse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
}
