using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace QuiltMcp.ConformanceHost;

/// <summary>
/// The tools the conformance scenarios call, by the names and results the suite's scenario descriptions give. Served
/// through raw list/call handlers so every schema and content block is exactly what a scenario checks.
/// </summary>
internal static class FixtureTools
{
    private static readonly JsonElement NoArguments = Schema("""{"type":"object","properties":{}}""");

    public static IList<Tool> All { get; } =
    [
        Tool("test_simple_text", "Returns a simple text"),
        Tool("test_image_content", "Returns an image"),
        Tool("test_audio_content", "Returns audio"),
        Tool("test_embedded_resource", "Returns an embedded resource"),
        Tool("test_multiple_content_types", "Returns text, an image and a resource"),
        Tool("test_tool_with_logging", "Sends three log messages while it runs"),
        Tool("test_tool_with_progress", "Reports progress 0, 50 and 100 of 100"),
        Tool("test_error_handling", "Always fails"),
        Tool("test_sampling", "Asks the client's LLM", """{"type":"object","properties":{"prompt":{"type":"string","description":"The prompt to send"}},"required":["prompt"]}"""),
        Tool("test_elicitation", "Asks the user", """{"type":"object","properties":{"message":{"type":"string","description":"The message to show"}},"required":["message"]}"""),
        Tool("test_elicitation_sep1034_defaults", "Asks the user, with defaults for every primitive type"),
        Tool("test_elicitation_sep1330_enums", "Asks the user, with every enum variant"),
        Tool("test_reconnection", "Closes its SSE stream before answering, so the client reconnects with Last-Event-ID"),
        Tool(
            "json_schema_2020_12_tool",
            "Tool with JSON Schema 2020-12 features",
            """{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","$defs":{"address":{"type":"object","properties":{"street":{"type":"string"},"city":{"type":"string"}}}},"properties":{"name":{"type":"string"},"address":{"$ref":"#/$defs/address"}},"additionalProperties":false}"""),
    ];

    public static async ValueTask<CallToolResult> CallAsync(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken)
    {
        var server = context.Server;
        var arguments = context.Params?.Arguments;
        string Argument(string name) => arguments is not null && arguments.TryGetValue(name, out var value) ? value.ToString() : "";
        switch (context.Params?.Name)
        {
            case "test_simple_text":
                return Text("This is a simple text response for testing.");
            case "test_image_content":
                return Result(ImageContentBlock.FromBytes(Fixtures.Png, "image/png"));
            case "test_audio_content":
                return Result(AudioContentBlock.FromBytes(Fixtures.Wav, "audio/wav"));
            case "test_embedded_resource":
                return Result(new EmbeddedResourceBlock { Resource = new TextResourceContents { Uri = "test://embedded-resource", MimeType = "text/plain", Text = "This is an embedded resource content." } });
            case "test_multiple_content_types":
                return Result(
                    new TextContentBlock { Text = "Multiple content types test:" },
                    ImageContentBlock.FromBytes(Fixtures.Png, "image/png"),
                    new EmbeddedResourceBlock { Resource = new TextResourceContents { Uri = "test://mixed-content-resource", MimeType = "application/json", Text = """{"test":"data","value":123}""" } });
            case "test_tool_with_logging":
                foreach (var (message, index) in new[] { "Tool execution started", "Tool processing data", "Tool execution completed" }.Select((m, i) => (m, i)))
                {
                    if (index > 0)
                    {
                        await Task.Delay(50, cancellationToken);
                    }

                    var log = new JsonObject { ["level"] = "info", ["data"] = message };
                    await server.SendMessageAsync(new JsonRpcNotification { Method = NotificationMethods.LoggingMessageNotification, Params = log }, cancellationToken);
                }

                return Text("Tool with logging executed successfully");
            case "test_tool_with_progress":
                foreach (var progress in new[] { 0, 50, 100 })
                {
                    if (context.Params.ProgressToken is { } token)
                    {
                        await server.NotifyProgressAsync(token, new ProgressNotificationValue { Progress = progress, Total = 100 }, cancellationToken: cancellationToken);
                    }

                    await Task.Delay(50, cancellationToken);
                }

                return Text("Tool with progress executed successfully");
            case "test_error_handling":
                return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = "This tool intentionally returns an error for testing" }] };
            case "test_sampling":
                var sampled = await AskClientAsync(server, RequestMethods.SamplingCreateMessage, new JsonObject
                {
                    ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = new JsonObject { ["type"] = "text", ["text"] = Argument("prompt") } }),
                    ["maxTokens"] = 100,
                }, cancellationToken);
                return Text($"LLM response: {sampled?["content"]?["text"]}");
            case "test_elicitation":
                var answer = await AskClientAsync(server, RequestMethods.ElicitationCreate, new JsonObject
                {
                    ["message"] = Argument("message"),
                    ["requestedSchema"] = JsonNode.Parse("""{"type":"object","properties":{"username":{"type":"string","description":"User's response"},"email":{"type":"string","description":"User's email address"}},"required":["username","email"]}"""),
                }, cancellationToken);
                return Text($"User response: action={answer?["action"]}, content={answer?["content"]?.ToJsonString()}");
            case "test_elicitation_sep1034_defaults":
                return await ElicitedAsync(server, """{"type":"object","properties":{"name":{"type":"string","default":"John Doe"},"age":{"type":"integer","default":30},"score":{"type":"number","default":95.5},"status":{"type":"string","enum":["active","inactive","pending"],"default":"active"},"verified":{"type":"boolean","default":true}}}""", cancellationToken);
            case "test_elicitation_sep1330_enums":
                return await ElicitedAsync(server, """{"type":"object","properties":{"untitledSingle":{"type":"string","enum":["option1","option2","option3"]},"titledSingle":{"type":"string","oneOf":[{"const":"value1","title":"First Option"},{"const":"value2","title":"Second Option"},{"const":"value3","title":"Third Option"}]},"legacyEnum":{"type":"string","enum":["opt1","opt2","opt3"],"enumNames":["Option One","Option Two","Option Three"]},"untitledMulti":{"type":"array","items":{"type":"string","enum":["option1","option2","option3"]}},"titledMulti":{"type":"array","items":{"anyOf":[{"const":"value1","title":"First Choice"},{"const":"value2","title":"Second Choice"},{"const":"value3","title":"Third Choice"}]}}}}""", cancellationToken);
            case "test_reconnection":
                await Task.Delay(100, cancellationToken);
                await context.EnablePollingAsync(TimeSpan.FromMilliseconds(500), cancellationToken);
                await Task.Delay(200, cancellationToken);
                return Text("Reconnection test completed");
            case "json_schema_2020_12_tool":
                return Text($"Received: {JsonSerializer.Serialize(arguments)}");
            default:
                throw new McpProtocolException($"Unknown tool: {context.Params?.Name}", McpErrorCode.InvalidParams);
        }
    }

    private static async Task<CallToolResult> ElicitedAsync(McpServer server, string schema, CancellationToken cancellationToken)
    {
        var answer = await AskClientAsync(server, RequestMethods.ElicitationCreate, new JsonObject { ["message"] = "Please review and submit the form", ["requestedSchema"] = JsonNode.Parse(schema) }, cancellationToken);
        return Text($"Elicitation completed: action={answer?["action"]}, content={answer?["content"]?.ToJsonString()}");
    }

    private static async Task<JsonNode?> AskClientAsync(McpServer server, string method, JsonObject parameters, CancellationToken cancellationToken)
    {
        var response = await server.SendRequestAsync(new JsonRpcRequest { Method = method, Params = parameters }, cancellationToken);
        return response.Result;
    }

    private static CallToolResult Text(string text) => Result(new TextContentBlock { Text = text });

    private static CallToolResult Result(params ContentBlock[] content) => new() { Content = content };

    private static Tool Tool(string name, string description, string? inputSchema = null) =>
        new() { Name = name, Description = description, InputSchema = inputSchema is null ? NoArguments : Schema(inputSchema) };

    private static JsonElement Schema(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
