using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace QuiltMcp.ConformanceHost;

/// <summary>The resources the conformance scenarios read: a text, a binary, a watched one and a template.</summary>
internal static class FixtureResources
{
    public static IList<Resource> All { get; } =
    [
        new() { Uri = "test://static-text", Name = "static-text", Description = "A static text resource", MimeType = "text/plain" },
        new() { Uri = "test://static-binary", Name = "static-binary", Description = "A static binary resource (PNG)", MimeType = "image/png" },
        new() { Uri = "test://watched-resource", Name = "watched-resource", Description = "A resource clients may subscribe to", MimeType = "text/plain" },
    ];

    public static IList<ResourceTemplate> Templates { get; } =
    [
        new() { UriTemplate = "test://template/{id}/data", Name = "template-data", Description = "Data for an id", MimeType = "application/json" },
    ];

    public static ValueTask<ReadResourceResult> ReadAsync(RequestContext<ReadResourceRequestParams> context, CancellationToken cancellationToken)
    {
        var uri = context.Params?.Uri ?? "";
        ResourceContents contents = uri switch
        {
            "test://static-text" => new TextResourceContents { Uri = uri, MimeType = "text/plain", Text = "This is the content of the static text resource." },
            "test://static-binary" => BlobResourceContents.FromBytes(Fixtures.Png, uri, "image/png"),
            "test://watched-resource" => new TextResourceContents { Uri = uri, MimeType = "text/plain", Text = "Watched resource content." },
            _ when uri.StartsWith("test://template/", StringComparison.Ordinal) && uri.EndsWith("/data", StringComparison.Ordinal) => Template(uri),
            _ => throw new McpException($"Unknown resource: {uri}"),
        };
        return ValueTask.FromResult(new ReadResourceResult { Contents = [contents] });
    }

    private static TextResourceContents Template(string uri)
    {
        var id = uri["test://template/".Length..^"/data".Length];
        var text = System.Text.Json.JsonSerializer.Serialize(new { id, templateTest = true, data = $"Data for ID: {id}" });
        return new TextResourceContents { Uri = uri, MimeType = "application/json", Text = text };
    }
}
