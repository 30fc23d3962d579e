using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Quilt.Core.Json;

namespace Quilt.Core.Tests.Schema;

/// <summary>
/// Test-side JSON reading (the project's own parser lives on another branch): System.Text.Json → QuiltJsonValue,
/// keeping integers apart from floats by the token text, as quilt3 (Python) does.
/// </summary>
internal static class TestJson
{
    public static QuiltJsonValue Parse(string text)
    {
        using var document = JsonDocument.Parse(text);
        return Convert(document.RootElement);
    }

    public static QuiltJsonValue Convert(JsonElement element) => element.ValueKind switch
    {
        System.Text.Json.JsonValueKind.Null => QuiltJsonNull.Instance,
        System.Text.Json.JsonValueKind.True => QuiltJsonBool.True,
        System.Text.Json.JsonValueKind.False => QuiltJsonBool.False,
        System.Text.Json.JsonValueKind.String => new QuiltJsonString(element.GetString()!),
        System.Text.Json.JsonValueKind.Number => Number(element.GetRawText()),
        System.Text.Json.JsonValueKind.Array => new QuiltJsonArray(element.EnumerateArray().Select(Convert)),
        System.Text.Json.JsonValueKind.Object => new QuiltJsonObject(element.EnumerateObject().Select(p => new KeyValuePair<string, QuiltJsonValue>(p.Name, Convert(p.Value)))),
        _ => throw new InvalidOperationException("Unexpected JSON element " + element.ValueKind),
    };

    private static QuiltJsonValue Number(string raw) =>
        raw.IndexOfAny(['.', 'e', 'E']) >= 0
            ? new QuiltJsonFloat(double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture))
            : new QuiltJsonInteger(BigInteger.Parse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
}
