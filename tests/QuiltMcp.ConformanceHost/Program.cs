using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using QuiltMcp.ConformanceHost;
using QuiltMcp.Mcp;

// quilt-mcp's HTTP hosting with the conformance fixtures: `QuiltMcp.ConformanceHost [HOST:PORT]`. Prints
// its endpoint on stderr once listening, in quilt-mcp's words,, and runs until stdin closes or the process is stopped.
var endpoint = args.Length > 0 ? args[0] : "127.0.0.1:0";
await using var host = await McpHttpHost.StartAsync(
    new McpServeOptions(endpoint, [], []),
    mcp =>
    {
        // Resumability (server-sse-polling): events are kept so a client can reconnect with Last-Event-ID.
        mcp.Services.AddDistributedMemoryCache();
        mcp.WithDistributedCacheEventStreamStore()
            .WithListToolsHandler((_, _) => ValueTask.FromResult(new ListToolsResult { Tools = FixtureTools.All }))
            .WithCallToolHandler(FixtureTools.CallAsync)
            .WithListResourcesHandler((_, _) => ValueTask.FromResult(new ListResourcesResult { Resources = FixtureResources.All }))
            .WithListResourceTemplatesHandler((_, _) => ValueTask.FromResult(new ListResourceTemplatesResult { ResourceTemplates = FixtureResources.Templates }))
            .WithReadResourceHandler(FixtureResources.ReadAsync)
            .WithSubscribeToResourcesHandler((_, _) => ValueTask.FromResult(new EmptyResult()))
            .WithUnsubscribeFromResourcesHandler((_, _) => ValueTask.FromResult(new EmptyResult()))
            .WithListPromptsHandler((_, _) => ValueTask.FromResult(new ListPromptsResult { Prompts = FixturePrompts.All }))
            .WithGetPromptHandler(FixturePrompts.GetAsync)
            .WithCompleteHandler((_, _) => ValueTask.FromResult(new CompleteResult { Completion = new Completion { Values = [], HasMore = false, Total = 0 } }))
            .WithSetLoggingLevelHandler((_, _) => ValueTask.FromResult(new EmptyResult()));
    });
await Console.Error.WriteLineAsync($"quilt-mcp: serving MCP (streamable HTTP, conformance fixtures) at {host.Endpoint}");
await Task.Run(() => Console.In.ReadToEnd());
