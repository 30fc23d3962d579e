using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace QuiltMcp.Mcp.Internal;

/// <summary>
/// Cancels a tool call whose POST ends before its response. The SDK's HTTP client cancels a call by aborting the POST,
/// and without resumability a response whose POST is gone can never be delivered, but the SDK's server lets the
/// handler run on; this <c>tools/call</c> filter links the handler's token to the POST's <c>RequestAborted</c> (the
/// handler runs in the POST's execution context), so a package creation stops and rolls back. A client's own
/// <c>notifications/cancelled</c> still cancels through the SDK. The filter also logs when a call ended by
/// cancellation, after its handler returned (so after a rollback): operators see what stopped.
/// </summary>
internal static class AbortedCallCancellation
{
    /// <summary>The filter.</summary>
    public static McpRequestFilter<CallToolRequestParams, CallToolResult> Filter { get; } = next => async (context, cancellationToken) =>
    {
        var logger = context.Services?.GetService<ILoggerFactory>()?.CreateLogger("QuiltMcp.Mcp.Http");
        var aborted = context.Services?.GetService<IHttpContextAccessor>()?.HttpContext?.RequestAborted ?? CancellationToken.None;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, aborted);
        var id = context.JsonRpcRequest.Id;
        var registration = logger is null ? default : aborted.Register(() => HttpHostLog.CancellingAbandonedRequest(logger, id, RequestMethods.ToolsCall));
        try
        {
            return await next(context, linked.Token).ConfigureAwait(false);
        }
        catch (Exception) when (linked.IsCancellationRequested && logger is not null)
        {
            HttpHostLog.ToolCallCancelled(logger, context.Params?.Name ?? "?", id);
            throw;
        }
        finally
        {
            await registration.DisposeAsync().ConfigureAwait(false);
        }
    };
}
