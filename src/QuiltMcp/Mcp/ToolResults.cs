using System.Text.Json;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using Quilt.Core.Errors;
using Quilt.Packaging.Contracts;

namespace QuiltMcp.Mcp;

/// <summary>
/// Turns service results and failures into MCP tool results: the result record as <c>structuredContent</c> (exactly the
/// CLI's <c>--json</c>) plus a short text; expected failures as <c>isError</c> results whose text says what to do next.
/// No stack trace or secret reaches the client.
/// </summary>
internal static class ToolResults
{
    public static CallToolResult Success<T>(T result, string summary)
    {
        var element = JsonSerializer.SerializeToElement(result, QuiltJson.Options);
        return new CallToolResult
        {
            StructuredContent = element,
            Content = [new TextContentBlock { Text = summary + "\n" + JsonSerializer.Serialize(result, QuiltJson.Options) }],
            IsError = false,
        };
    }

    public static CallToolResult Failure(QuiltException e)
    {
        // The libraries name their own concepts and the field typed; this shell names its parameter and its tools.
        var parameter = Parameter(e.Field);
        var message = parameter is null ? e.Message : $"{e.Message} (parameter '{parameter}')";
        var hint = Advice(e.Reason) is { } advice ? (string.IsNullOrEmpty(e.Hint) ? advice : $"{e.Hint} {advice}") : e.Hint;
        var text = string.IsNullOrEmpty(hint) ? message : $"{message} Next step: {hint}";
        var error = new { error = new { kind = e.Kind.ToString(), message, hint, parameter } };
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = text }],
            StructuredContent = JsonSerializer.SerializeToElement(error, QuiltJson.Options),
            IsError = true,
        };
    }

    /// <summary>The tool parameter for a library field (DESIGN.md §5 names).</summary>
    internal static string? Parameter(QuiltInputField field) => field switch
    {
        QuiltInputField.PreserveStructure => "preserve_structure",
        QuiltInputField.Files => "files",
        QuiltInputField.MaxKeys => "max_keys",
        QuiltInputField.Copy => "copy",
        QuiltInputField.TargetBucket => "target_bucket",
        QuiltInputField.ExpiresIn => "expires_in_seconds",
        _ => null,
    };

    private static string? Advice(QuiltErrorReason reason) => reason switch
    {
        QuiltErrorReason.FilesRequired => "Over MCP: bucket_object_upload_url gives a presigned PUT URL for each file, and package_create_from_s3 packages a whole prefix.",
        _ => null,
    };

    public static async Task<CallToolResult> RunAsync<T>(ILogger logger, string tool, Func<Task<T>> operation, Func<T, string> summary)
    {
        try
        {
            var result = await operation().ConfigureAwait(false);
            return Success(result, summary(result));
        }
        catch (QuiltException e) when (e.Kind != QuiltErrorKind.Cancelled)
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("Tool {Tool} failed: {Kind}: {Message}", tool, e.Kind, e.Message);
            }
            return Failure(e);
        }
        catch (Exception e) when (e is not OperationCanceledException and not QuiltException and not OutOfMemoryException)
        {
            logger.LogError(e, "Tool {Tool} failed unexpectedly", tool);
            return Failure(new QuiltException(QuiltErrorKind.Transient, $"{tool} failed unexpectedly ({e.GetType().Name}).", "Retry; if it fails again, check the server's log (stderr)."));
        }
    }
}
