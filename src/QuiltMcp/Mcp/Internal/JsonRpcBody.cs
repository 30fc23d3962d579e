using ModelContextProtocol.Protocol;

namespace QuiltMcp.Mcp.Internal;

/// <summary>
/// What a POST body held: one JSON-RPC message, or why it is refused (the HTTP status and JSON-RPC error to answer).
/// </summary>
/// <param name="Message">The message; null when the body is refused.</param>
/// <param name="Status">The HTTP status of the refusal (0 when a message was read).</param>
/// <param name="Code">The JSON-RPC error code of the refusal.</param>
/// <param name="Error">What is wrong with the body and what to send instead.</param>
internal sealed record JsonRpcBody(JsonRpcMessage? Message, int Status = 0, int Code = 0, string? Error = null)
{
    /// <summary>Whether the body was refused.</summary>
    public bool IsRefused => Message is null;

    /// <summary>A refused body.</summary>
    public static JsonRpcBody Refused(int status, int code, string error) => new(null, status, code, error);
}
