namespace QuiltMcp.Mcp;

/// <summary>How <c>quilt-mcp serve</c> runs.</summary>
/// <param name="HttpEndpoint">"HOST:PORT" for streamable HTTP at <c>/mcp</c>; null for stdio.</param>
/// <param name="AllowedOrigins">Origins allowed besides loopback ones (full origins, e.g. <c>https://app.example</c>).</param>
/// <param name="AllowedHosts">Host header names allowed besides loopback names and the bound host.</param>
internal sealed record McpServeOptions(string? HttpEndpoint, IReadOnlyList<string> AllowedOrigins, IReadOnlyList<string> AllowedHosts)
{
    /// <summary>
    /// How long an HTTP session may go without a request or an open stream before it is ended. Clients that never
    /// send DELETE would otherwise keep their sessions (and a catalog user's operations) in memory for good.
    /// </summary>
    public TimeSpan SessionIdleTimeout { get; init; } = TimeSpan.FromHours(2);
}
