using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Quilt.Packaging.Contracts;
using QuiltMcp.Mcp.Internal;

namespace QuiltMcp.Mcp;

/// <summary>
/// The MCP server on the official C# SDK's hosting: over stdio through the Generic Host (JSON-RPC on stdin/stdout, logs
/// on stderr), or over streamable HTTP (<see cref="McpHttpHost"/>). Both register the same server
/// (<see cref="AddServer"/>) and the same DI-registered <see cref="QuiltTools"/> (<see cref="WithQuiltTools"/>).
/// </summary>
internal static class McpServe
{
    /// <summary>What the server tells clients to do first, in <c>initialize</c>.</summary>
    public const string Instructions = "Create and inspect Quilt data packages from S3. Start with bucket_objects_list to see data, package_create_from_s3 with dry_run=true to see a plan, then without dry_run to create the package; package_browse/package_list/package_diff to inspect registries.";

    /// <summary>The server's name and version as announced in <c>initialize</c>.</summary>
    public static Implementation ServerInfo { get; } = new()
    {
        Name = "quilt-mcp",
        Title = "QuiltMcp: Quilt packages from S3",
        Version = typeof(McpServe).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0",
    };

    /// <summary>Logs to stderr only, so stdout stays pure JSON-RPC; at information, less the noise (<see cref="AddLogFilters"/>).</summary>
    public static void ConfigureLogging(ILoggingBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddLogFilters(builder.ClearProviders().SetMinimumLevel(LogLevel.Information))
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    /// <summary>
    /// ASP.NET Core and the host at warnings. The SDK's session manager logs session ids when it closes a session, and
    /// a session id is the key to that session, so it is kept at warnings too.
    /// </summary>
    public static ILoggingBuilder AddLogFilters(ILoggingBuilder builder) => builder
        .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
        .AddFilter("Microsoft.Hosting", LogLevel.Warning)
        .AddFilter("ModelContextProtocol.AspNetCore.StatefulSessionManager", LogLevel.Warning);

    /// <summary>A logger factory configured as <see cref="ConfigureLogging"/> says.</summary>
    public static ILoggerFactory CreateLoggerFactory() => LoggerFactory.Create(ConfigureLogging);

    /// <summary>The MCP server with quilt-mcp's name, version and instructions; transports and primitives are added by the caller.</summary>
    public static IMcpServerBuilder AddServer(IServiceCollection services) =>
        services.AddMcpServer(o =>
        {
            o.ServerInfo = ServerInfo;
            o.ServerInstructions = Instructions;
        });

    /// <summary>
    /// Every tool of <see cref="QuiltTools"/>, made per call from DI (which must provide an <see cref="IQuiltOperations"/>),
    /// serialized with <see cref="QuiltJson.Options"/>, with object-only output schemas (<see cref="ObjectSchemas"/>).
    /// </summary>
    public static IMcpServerBuilder WithQuiltTools(this IMcpServerBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WithTools<QuiltTools>(QuiltJson.Options);
        builder.Services.PostConfigure<McpServerOptions>(o => ObjectSchemas.Apply(o.ToolCollection));
        return builder;
    }

    /// <summary>Serves over stdio until the client closes the stream or <paramref name="cancellationToken"/> fires.</summary>
    public static async Task<int> RunStdioAsync(IQuiltOperations operations, CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        ConfigureLogging(builder.Logging);
        builder.Services.AddSingleton(operations);
        AddServer(builder.Services).WithStdioServerTransport().WithQuiltTools();
        using var host = builder.Build();
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
