using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace QuiltMcp.Mcp.Internal;

/// <summary>
/// Reads the one JSON-RPC message of a streamable HTTP POST. Bodies over the size limit are refused with 413 before
/// they are parsed; a JSON array (a batch) is refused with 400, because MCP 2025-06-18 dropped batching and the SDK
/// reads single messages only; anything else that is not one JSON-RPC message gets a 400 saying which of the two
/// JSON-RPC errors it is (parse error or invalid request).
/// </summary>
internal static class JsonRpcBodyReader
{
    /// <summary>Largest POST body accepted: far above any tool call (package metadata is capped at 1 MB).</summary>
    public const long MaxBodyBytes = 8 * 1024 * 1024;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    /// <summary>Reads <paramref name="request"/>'s body; never throws for a bad body, only for cancellation.</summary>
    public static async Task<JsonRpcBody> ReadAsync(HttpRequest request, long maxBytes = MaxBodyBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > maxBytes)
        {
            return TooLarge(maxBytes);
        }

        JsonDocument document;
        try
        {
            using var limited = new LimitedReadStream(request.Body, maxBytes);
            document = await JsonDocument.ParseAsync(limited, DocumentOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (BodyTooLargeException)
        {
            return TooLarge(maxBytes);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(maxBytes);
        }
        catch (JsonException)
        {
            return JsonRpcBody.Refused(StatusCodes.Status400BadRequest, (int)McpErrorCode.ParseError, "Parse error: the body is not valid JSON; POST one JSON-RPC 2.0 message.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                return JsonRpcBody.Refused(
                    StatusCodes.Status400BadRequest,
                    (int)McpErrorCode.InvalidRequest,
                    "Invalid Request: JSON-RPC batches (arrays) are not supported; MCP 2025-06-18 removed batching. POST each message on its own.");
            }

            JsonRpcMessage? message = null;
            if (root.ValueKind == JsonValueKind.Object)
            {
                try
                {
                    message = root.Deserialize<JsonRpcMessage>(McpJsonUtilities.DefaultOptions);
                }
                catch (JsonException)
                {
                    // Reported below as an invalid request.
                }
            }

            return message is null
                ? JsonRpcBody.Refused(StatusCodes.Status400BadRequest, (int)McpErrorCode.InvalidRequest, "Invalid Request: the body is JSON but not a JSON-RPC 2.0 request, notification or response (\"jsonrpc\": \"2.0\" with \"method\" or \"id\").")
                : new JsonRpcBody(message);
        }
    }

    private static JsonRpcBody TooLarge(long maxBytes) =>
        JsonRpcBody.Refused(
            StatusCodes.Status413PayloadTooLarge,
            (int)McpErrorCode.InvalidRequest,
            $"Payload Too Large: a POST body may hold at most {maxBytes} bytes. Send less in one call (for many objects use package_create_from_s3 with a prefix and patterns instead of a file list).");
}
