using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace QuiltMcp.ConformanceHost;

/// <summary>The prompts the conformance scenarios get: plain, with arguments, with an embedded resource, with an image.</summary>
internal static class FixturePrompts
{
    public static IList<Prompt> All { get; } =
    [
        new() { Name = "test_simple_prompt", Description = "A prompt without arguments" },
        new()
        {
            Name = "test_prompt_with_arguments",
            Description = "A prompt with two arguments",
            Arguments = [new() { Name = "arg1", Description = "First test argument", Required = true }, new() { Name = "arg2", Description = "Second test argument", Required = true }],
        },
        new()
        {
            Name = "test_prompt_with_embedded_resource",
            Description = "A prompt embedding a resource",
            Arguments = [new() { Name = "resourceUri", Description = "URI of the resource to embed", Required = true }],
        },
        new() { Name = "test_prompt_with_image", Description = "A prompt with an image" },
    ];

    public static ValueTask<GetPromptResult> GetAsync(RequestContext<GetPromptRequestParams> context, CancellationToken cancellationToken)
    {
        var arguments = context.Params?.Arguments;
        string Argument(string name) => arguments is not null && arguments.TryGetValue(name, out var value) ? value.ToString() : "";
        IList<PromptMessage> messages = context.Params?.Name switch
        {
            "test_simple_prompt" => [User(new TextContentBlock { Text = "This is a simple prompt for testing." })],
            "test_prompt_with_arguments" => [User(new TextContentBlock { Text = $"Prompt with arguments: arg1='{Argument("arg1")}', arg2='{Argument("arg2")}'" })],
            "test_prompt_with_embedded_resource" =>
            [
                User(new EmbeddedResourceBlock { Resource = new TextResourceContents { Uri = Argument("resourceUri"), MimeType = "text/plain", Text = "Embedded resource content for testing." } }),
                User(new TextContentBlock { Text = "Please process the embedded resource above." }),
            ],
            "test_prompt_with_image" =>
            [
                User(ImageContentBlock.FromBytes(Fixtures.Png, "image/png")),
                User(new TextContentBlock { Text = "Please analyze the image above." }),
            ],
            var name => throw new McpException($"Unknown prompt: {name}"),
        };
        return ValueTask.FromResult(new GetPromptResult { Messages = messages });
    }

    private static PromptMessage User(ContentBlock content) => new() { Role = Role.User, Content = content };
}
