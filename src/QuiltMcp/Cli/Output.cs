using System.Text.Json;
using Quilt.Core.Errors;
using Quilt.Packaging.Contracts;

namespace QuiltMcp.Cli;

/// <summary>Where the CLI writes: results to stdout, messages and progress to stderr.</summary>
internal sealed class Output(TextWriter stdout, TextWriter stderr)
{
    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    /// <summary>Prints a result record exactly as the MCP tool's structured content.</summary>
    public void Json<T>(T value) => Out.WriteLine(JsonSerializer.Serialize(value, QuiltJson.Options));

    /// <summary>Prints a failure with its next step; returns the exit code for it.</summary>
    public int Fail(QuiltException e)
    {
        Error.WriteLine($"error: {e.Message}");
        if (!string.IsNullOrEmpty(e.Hint))
        {
            Error.WriteLine($"next step: {e.Hint}");
        }

        return e.Kind == QuiltErrorKind.InvalidInput ? ExitCodes.Usage : ExitCodes.Failed;
    }
}
