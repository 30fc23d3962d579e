using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Quilt.Packaging.Contracts;

namespace QuiltMcp.Mcp;

/// <summary>
/// Runs the MCP server with the official C# SDK: over stdio (JSON-RPC on stdin/stdout, logs on stderr), or over
/// streamable HTTP on Kestrel (<see cref="McpHttpHost"/>). Both serve the same <see cref="QuiltTools"/>.
/// </summary>
internal static class McpServe
{
    /// <summary>The server's name and version as announced in <c>initialize</c>.</summary>
    public static Implementation ServerInfo { get; } = new()
    {
        Name = "quilt-mcp",
        Title = "QuiltMcp: Quilt packages from S3",
        Version = typeof(McpServe).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0",
    };

    /// <summary>A logger factory that writes to stderr only, so stdout stays pure JSON-RPC.</summary>
    public static ILoggerFactory CreateLoggerFactory() => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(LogLevel.Information)
        .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
        .AddSimpleConsole(o => o.SingleLine = true)
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));

    /// <summary>Serves over stdio until the client closes the stream or <paramref name="cancellationToken"/> fires.</summary>
    public static async Task<int> RunStdioAsync(IQuiltOperations operations, CancellationToken cancellationToken = default)
    {
        using var loggerFactory = CreateLoggerFactory();
        var services = CreateServices(operations, loggerFactory);
        await using var servicesScope = services.ConfigureAwait(false);
        var transport = new StdioServerTransport(ServerInfo.Name, loggerFactory);
        await using (transport.ConfigureAwait(false))
        {
            var server = McpServer.Create(transport, CreateOptions(services), loggerFactory, services);
            await using (server.ConfigureAwait(false))
            {
                await server.RunAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return 0;
    }

    /// <summary>The services a tool invocation may ask for.</summary>
    public static ServiceProvider CreateServices(IQuiltOperations operations, ILoggerFactory loggerFactory) =>
        new ServiceCollection()
            .AddSingleton(operations)
            .AddSingleton(loggerFactory)
            .AddLogging()
            .BuildServiceProvider();

    /// <summary>Server options with every tool of <see cref="QuiltTools"/>, serialized with <see cref="QuiltJson.Options"/>.</summary>
    public static McpServerOptions CreateOptions(IServiceProvider services)
    {
        var tools = new McpServerPrimitiveCollection<McpServerTool>();
        var createOptions = new McpServerToolCreateOptions { Services = services, SerializerOptions = QuiltJson.Options };
        foreach (var method in typeof(QuiltTools).GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.GetCustomAttribute<McpServerToolAttribute>() is not null))
        {
            tools.Add(McpServerTool.Create(method, context => ActivatorUtilities.CreateInstance<QuiltTools>(context.Services ?? services), createOptions));
        }

        return new McpServerOptions
        {
            ServerInfo = ServerInfo,
            ToolCollection = tools,
            ServerInstructions = "Create and inspect Quilt data packages from S3. Start with bucket_objects_list to see data, package_create_from_s3 with dry_run=true to see a plan, then without dry_run to create the package; package_browse/package_list/package_diff to inspect registries.",
        };
    }
}
