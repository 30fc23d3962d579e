using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Quilt.Packaging.Contracts;

/// <summary>
/// The System.Text.Json settings for result records: snake_case names (as MCP tool parameters are), enums as
/// strings, Quilt JSON values exact. The CLI's <c>--json</c> and the MCP <c>structuredContent</c> both use these,
/// so they print the same thing.
/// </summary>
public static class QuiltJson
{
    /// <summary>The options; do not mutate.</summary>
    public static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            WriteIndented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        options.Converters.Add(JsonValueConverter.Instance);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
