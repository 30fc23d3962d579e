using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Server;

namespace QuiltMcp.Mcp.Internal;

/// <summary>
/// Free-form JSON members (metadata) come out of schema generation as the boolean schema <c>true</c>; some clients
/// accept only object schemas under <c>properties</c> and <c>items</c>, so those become <c>{}</c> (same meaning).
/// </summary>
internal static class ObjectSchemas
{
    /// <summary>Rewrites the output schema of every tool in <paramref name="tools"/> (idempotent).</summary>
    public static void Apply(IEnumerable<McpServerTool>? tools)
    {
        foreach (var tool in tools ?? [])
        {
            if (tool.ProtocolTool.OutputSchema is { } schema)
            {
                tool.ProtocolTool.OutputSchema = Rewrite(schema);
            }
        }
    }

    /// <summary><paramref name="schema"/> with every boolean <c>true</c> member schema replaced by <c>{}</c>.</summary>
    public static JsonElement Rewrite(JsonElement schema)
    {
        var node = JsonNode.Parse(schema.GetRawText())!;
        RewriteNode(node);
        return JsonSerializer.SerializeToElement(node);
    }

    private static void RewriteNode(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (name is "properties" or "$defs" or "definitions" && obj[name] is JsonObject members)
                    {
                        foreach (var member in members.Select(p => p.Key).ToList())
                        {
                            if (IsTrue(members[member]))
                            {
                                members[member] = new JsonObject();
                            }
                        }
                    }

                    if (name is "items" or "additionalProperties" && IsTrue(obj[name]))
                    {
                        obj[name] = new JsonObject();
                    }

                    RewriteNode(obj[name]);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    RewriteNode(item);
                }

                break;
        }
    }

    private static bool IsTrue(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.True;
}
