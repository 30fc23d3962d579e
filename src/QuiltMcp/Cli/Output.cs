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

    /// <summary>The command-line spelling of a library field (DESIGN.md §6), or null where the CLI has none.</summary>
    internal static string? Option(QuiltInputField field) => field switch
    {
        QuiltInputField.PreserveStructure => "--flatten (leave it out to keep folders in logical keys)",
        QuiltInputField.Files => "the URI arguments",
        QuiltInputField.Copy => "--copy",
        QuiltInputField.TargetBucket => "--target-bucket",
        _ => null,
    };

    /// <summary>Prints a failure with its next step; returns the exit code for it.</summary>
    public int Fail(QuiltException e)
    {
        Error.WriteLine($"error: {e.Message}");
        if (!string.IsNullOrEmpty(e.Hint))
        {
            Error.WriteLine($"next step: {e.Hint}");
        }

        // The libraries name the field typed; the command line names its own option for it.
        if (Option(e.Field) is { } option)
        {
            Error.WriteLine($"option: {option}");
        }

        return e.Kind == QuiltErrorKind.InvalidInput ? ExitCodes.Usage : ExitCodes.Failed;
    }
}
