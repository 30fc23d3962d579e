using System.CommandLine;
using Quilt.Core.Errors;
using Quilt.Core.Json;
using Quilt.Packaging.Contracts;

namespace QuiltMcp.Cli.Commands;

/// <summary>Options several commands share, and the parsing of option values into request values.</summary>
internal static class CliOptions
{
    /// <summary><c>--json</c>: print the result record instead of text.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Print the result as JSON (the MCP tool's structured content)." };

    /// <summary><c>--registry</c> (required).</summary>
    public static Option<string> Registry() => new("--registry") { Description = "The registry: s3://bucket, or a local folder.", Required = true };

    /// <summary><c>--message</c>/<c>-m</c>.</summary>
    public static Option<string?> Message() => new("--message", "-m") { Description = "Commit message." };

    /// <summary><c>--meta</c>.</summary>
    public static Option<string?> Meta() => new("--meta") { Description = "Package metadata, a JSON object." };

    /// <summary><c>--copy</c>: auto, all or none.</summary>
    public static Option<string> Copy(string description)
    {
        var copy = new Option<string>("--copy") { Description = description, DefaultValueFactory = _ => "auto" };
        copy.AcceptOnlyFromAmong("auto", "all", "none");
        return copy;
    }

    /// <summary>Parses <c>--meta</c>: a JSON object.</summary>
    public static QuiltJsonValue? ParseMeta(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        QuiltJsonValue value;
        try
        {
            value = JsonText.Parse(text);
        }
        catch (QuiltException e)
        {
            throw QuiltException.InvalidInput($"--meta is not valid JSON: {e.Message}", "Pass a JSON object, e.g. --meta '{\"project\": \"x\"}'.");
        }

        return value;
    }

    /// <summary>Parses <c>--copy</c>.</summary>
    public static CopyMode ParseCopy(string? text) => text?.ToLowerInvariant() switch
    {
        null or "" or "auto" => CopyMode.Auto,
        "all" => CopyMode.All,
        "none" => CopyMode.None,
        _ => throw QuiltException.InvalidInput($"--copy must be auto, all or none, not '{text}'."),
    };

    /// <summary>Parses <c>--workflow</c> and <c>--no-workflow</c>.</summary>
    public static WorkflowChoice Workflow(string? id, bool none) =>
        none ? WorkflowChoice.None : string.IsNullOrEmpty(id) ? WorkflowChoice.Default : WorkflowChoice.Named(id);
}
