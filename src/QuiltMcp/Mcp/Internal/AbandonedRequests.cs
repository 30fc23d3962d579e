using System.Text.Json;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace QuiltMcp.Mcp.Internal;

/// <summary>
/// Cancels requests whose POST ended before their response. The SDK's HTTP client cancels a call by aborting the POST
/// (it sends no <c>notifications/cancelled</c>), and without resumability a response whose POST is gone can never be
/// delivered, so the server cancels the request's handler itself: it feeds the session's transport the
/// <c>notifications/cancelled</c> the client would have sent. The session's server then cancels the handler's token
/// exactly as for a client's own notification (a package creation stops and rolls back). A cancellation for a request
/// that already finished is ignored by the server.
/// </summary>
internal static class AbandonedRequests
{
    /// <summary>The <c>reason</c> of the synthetic notification.</summary>
    public const string Reason = "The client closed the HTTP request before the response.";

    /// <summary>The notification that cancels <paramref name="requestId"/>.</summary>
    public static JsonRpcNotification CancelledNotification(RequestId requestId) => new()
    {
        Method = NotificationMethods.CancelledNotification,
        Params = JsonSerializer.SerializeToNode(new CancelledNotificationParams { RequestId = requestId, Reason = Reason }, McpJsonUtilities.DefaultOptions),
    };

    /// <summary>
    /// Cancels <paramref name="request"/> in the session behind <paramref name="transport"/>. Never throws: a session
    /// that already ended has cancelled its requests itself.
    /// </summary>
    public static async Task CancelAsync(StreamableHttpServerTransport transport, JsonRpcRequest request, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(request);
        HttpHostLog.CancellingAbandonedRequest(logger, request.Id, request.Method);
        try
        {
            // CancellationToken.None: the POST's own token has fired already, and the notification must still go in.
            await transport.HandlePostRequestAsync(CancelledNotification(request.Id), Stream.Null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            HttpHostLog.CancellationNotDelivered(logger, request.Id, e);
        }
    }

    /// <summary>
    /// A <c>tools/call</c> filter that logs when a call ends because it was cancelled, after its handler has returned
    /// (so after a creation's rollback): operators see what stopped, and tests can wait for the end of the work.
    /// </summary>
    public static McpRequestFilter<CallToolRequestParams, CallToolResult> LogCancelledToolCalls(ILogger logger) =>
        next => async (context, cancellationToken) =>
        {
            try
            {
                return await next(context, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                HttpHostLog.ToolCallCancelled(logger, context.Params?.Name ?? "?", context.JsonRpcRequest.Id);
                throw;
            }
        };
}
