using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;

namespace QuiltMcp.Mcp.Internal;

/// <summary>The HTTP host's log lines (stderr). Session ids and tokens are never logged.</summary>
internal static partial class HttpHostLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} ({Method}): its POST ended before the response (the client cancelled or went away); cancelling it")]
    public static partial void CancellingAbandonedRequest(ILogger logger, RequestId requestId, string method);

    [LoggerMessage(Level = LogLevel.Information, Message = "tools/call {Tool} (request {RequestId}) ended by cancellation")]
    public static partial void ToolCallCancelled(ILogger logger, string tool, RequestId requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request to /mcp failed unexpectedly")]
    public static partial void RequestFailed(ILogger logger, Exception exception);
}
