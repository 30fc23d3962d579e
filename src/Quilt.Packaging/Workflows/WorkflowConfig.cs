using System.Globalization;
using Quilt.Core.Errors;
using Quilt.Core.Json;
using Quilt.Packaging.Workflows.Internal;

namespace Quilt.Packaging.Workflows;

/// <summary>
/// A registry's workflows config (<c>.quilt/workflows/config.yml</c>), checked like quilt3 checks it: against
/// <c>config-1.schema.json</c>, then for a supported version (up to 1.1.0). Loading the file is the caller's
/// job; this class only interprets the already-parsed document (see <see cref="YamlJson.FromYaml"/>).
/// </summary>
public sealed class WorkflowConfig
{
    /// <summary>The newest config version quilt3 (and therefore this code) understands.</summary>
    public static readonly Version SupportedVersion = new(1, 1, 0);

    private const int MaxListedErrors = 10;

    private WorkflowConfig(
        QuiltJsonObject document,
        string configUrl,
        string version,
        bool isWorkflowRequired,
        string? defaultWorkflow,
        IReadOnlyList<WorkflowDefinition> workflows,
        IReadOnlyDictionary<string, string> schemas)
    {
        Document = document;
        ConfigUrl = configUrl;
        Version = version;
        IsWorkflowRequired = isWorkflowRequired;
        DefaultWorkflow = defaultWorkflow;
        WorkflowList = workflows;
        Workflows = workflows.ToDictionary(w => w.Id, StringComparer.Ordinal);
        Schemas = schemas;
    }

    /// <summary>The config document as loaded.</summary>
    public QuiltJsonObject Document { get; }

    /// <summary>Where the config was loaded from, including its version id; recorded in manifests as <c>workflow.config</c>.</summary>
    public string ConfigUrl { get; }

    /// <summary>The config data version string (<c>version</c>, or <c>version.base</c>), such as <c>"1"</c> or <c>"1.1"</c>.</summary>
    public string Version { get; }

    /// <summary>Whether pushing without a workflow is refused (<c>is_workflow_required</c>, default true).</summary>
    public bool IsWorkflowRequired { get; }

    /// <summary>The workflow used when the caller names none (<c>default_workflow</c>), or null.</summary>
    public string? DefaultWorkflow { get; }

    /// <summary>The workflows by id.</summary>
    public IReadOnlyDictionary<string, WorkflowDefinition> Workflows { get; }

    /// <summary>The workflows in config order (for listing them to users).</summary>
    public IReadOnlyList<WorkflowDefinition> WorkflowList { get; }

    /// <summary>Schema URLs by schema id (<c>schemas.&lt;id&gt;.url</c>), as written in the config.</summary>
    public IReadOnlyDictionary<string, string> Schemas { get; }

    /// <summary>
    /// Checks and interprets a config document. An invalid document or an unsupported version is an
    /// <see cref="QuiltErrorKind.InvalidInput"/> error that lists what is wrong, with paths into the file.
    /// </summary>
    public static WorkflowConfig Parse(QuiltJsonValue document, string configUrl)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentException.ThrowIfNullOrEmpty(configUrl);

        var result = ConfigSchema.Schema.Validate(document);
        if (!result.IsValid)
        {
            var hint = result.Errors.Any(e => e.InstancePath == "/version")
                ? "Set version to a string such as \"1\" or \"1.1\" (quoted in YAML), or to {base: \"1\"}."
                : "Fix .quilt/workflows/config.yml in the registry (see the Quilt workflows documentation).";
            throw QuiltException.InvalidInput(
                $"Workflows config {configUrl} failed validation: {FormatErrors(result.Errors.Select(e => e.ToString()).ToList())}",
                hint);
        }

        var root = (QuiltJsonObject)document;
        var version = root["version"] is QuiltJsonString s ? s.Value : ((QuiltJsonString)((QuiltJsonObject)root["version"])["base"]).Value;
        var parsed = ParseVersion(version);
        if (parsed > SupportedVersion)
        {
            throw QuiltException.InvalidInput(
                $"Workflows config {configUrl}: version '{parsed.ToString(3)}' is not supported (up to {SupportedVersion.ToString(3)} is).",
                "Use a config of version 1.1 or lower, or a newer QuiltMcp.");
        }

        var workflows = ((QuiltJsonObject)root["workflows"]).Select(w => Definition(w.Key, (QuiltJsonObject)w.Value)).ToList();
        var schemas = root.TryGetValue("schemas", out var schemasValue)
            ? ((QuiltJsonObject)schemasValue).ToDictionary(m => m.Key, m => ((QuiltJsonString)((QuiltJsonObject)m.Value)["url"]).Value, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

        return new WorkflowConfig(
            root,
            configUrl,
            version,
            root.TryGetValue("is_workflow_required", out var required) ? ((QuiltJsonBool)required).Value : true,
            root.TryGetValue("default_workflow", out var defaultWorkflow) ? ((QuiltJsonString)defaultWorkflow).Value : null,
            workflows,
            schemas);
    }

    /// <summary>Joins errors into one list, at most ten of them, so a badly broken file cannot produce a huge message.</summary>
    internal static string FormatErrors(IReadOnlyList<string> errors)
    {
        var shown = string.Join("; ", errors.Take(MaxListedErrors));
        var more = errors.Count - MaxListedErrors;
        return more > 0 ? $"{shown}; and {more} more error{(more == 1 ? string.Empty : "s")}." : shown + ".";
    }

    private static Version ParseVersion(string text)
    {
        // The schema guarantees digits; a part too large for int is certainly unsupported.
        var parts = text.Split('.').Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue).ToList();
        while (parts.Count < 3)
        {
            parts.Add(0);
        }

        return new Version(parts[0], parts[1], parts[2]);
    }

    private static WorkflowDefinition Definition(string id, QuiltJsonObject data) => new(
        id,
        ((QuiltJsonString)data["name"]).Value,
        Text(data, "description"),
        Text(data, "handle_pattern"),
        Text(data, "metadata_schema"),
        Text(data, "entries_schema"),
        data.TryGetValue("is_message_required", out var required) && ((QuiltJsonBool)required).Value);

    private static string? Text(QuiltJsonObject data, string name) => data.TryGetValue(name, out var value) ? ((QuiltJsonString)value).Value : null;
}
