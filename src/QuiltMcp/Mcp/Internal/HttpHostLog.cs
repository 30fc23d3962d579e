using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;

namespace QuiltMcp.Mcp.Internal;

/// <summary>The HTTP host's log lines (stderr). Session ids and tokens are never logged.</summary>
internal static partial class HttpHostLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} ({Method}): its POST ended before the response (the client cancelled or went away); cancelling it")]
    public static partial void CancellingAbandonedRequest(ILogger logger, RequestId requestId, string method);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Request {RequestId}: the cancellation could not be delivered (the session has ended, which cancels its requests too)")]
    public static partial void CancellationNotDelivered(ILogger logger, RequestId requestId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "tools/call {Tool} (request {RequestId}) ended by cancellation")]
    public static partial void ToolCallCancelled(ILogger logger, string tool, RequestId requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ended {Count} HTTP session(s) idle for more than {Minutes} minutes")]
    public static partial void IdleSessionsEnded(ILogger logger, int count, double minutes);

    [LoggerMessage(Level = LogLevel.Information, Message = "An initialize request ended before its response; the session it opened is closed")]
    public static partial void InitializeAbandoned(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request to /mcp failed unexpectedly")]
    public static partial void RequestFailed(ILogger logger, Exception exception);
}
