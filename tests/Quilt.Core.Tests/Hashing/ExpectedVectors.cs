using System.Text;
using System.Text.Json;
using Quilt.Testing;

namespace Quilt.Core.Tests.Hashing;

/// <summary>Reads <c>shared/vectors/expected.json</c> at test time and builds the inputs its generator descriptions name.</summary>
internal static class ExpectedVectors
{
    private static readonly Lazy<JsonElement> Root = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepoPaths.Vectors, "expected.json"))).RootElement.Clone());

    /// <summary>The array or object under a top-level member.</summary>
    public static JsonElement Section(string name) => Root.Value.GetProperty(name);

    /// <summary>The rows of a top-level array, skipping comment-only rows (those with just <c>_source</c>).</summary>
    public static IEnumerable<JsonElement> Rows(string name) =>
        Section(name).EnumerateArray().Where(row => !row.EnumerateObject().All(p => p.Name.StartsWith('_')));

    /// <summary>Materializes an input description: <c>text</c>, <c>repeat</c> × <c>times</c>, <c>zeros</c>, or <c>file</c>.</summary>
    public static byte[] BuildInput(string inputJson)
    {
        using var doc = JsonDocument.Parse(inputJson);
        var input = doc.RootElement;
        if (input.TryGetProperty("text", out var text))
        {
            return Encoding.UTF8.GetBytes(text.GetString()!);
        }

        if (input.TryGetProperty("repeat", out var repeat))
        {
            var unit = Encoding.UTF8.GetBytes(repeat.GetString()!);
            var times = input.GetProperty("times").GetInt32();
            var result = new byte[unit.Length * times];
            for (var i = 0; i < times; i++)
            {
                unit.CopyTo(result, i * unit.Length);
            }

            return result;
        }

        if (input.TryGetProperty("zeros", out var zeros))
        {
            return new byte[zeros.GetInt32()];
        }

        if (input.TryGetProperty("file", out var file))
        {
            return File.ReadAllBytes(Path.Combine(RepoPaths.Vectors, file.GetString()!));
        }

        throw new InvalidOperationException("Unknown input description: " + inputJson);
    }
}
