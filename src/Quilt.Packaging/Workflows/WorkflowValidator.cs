using Quilt.Core.Errors;
using Quilt.Core.Json;
using Quilt.Core.Schema;

namespace Quilt.Packaging.Workflows;

/// <summary>
/// quilt3's workflow rules for a push or build (api/python/quilt3/workflows): choose the workflow, then check
/// the commit message, the package name, the package metadata and the entries, in that order, and produce the
/// <c>workflow</c> member of the manifest header. Pure logic: the caller loads the config and the schemas
/// (<see cref="RequiredSchemas"/> says which) and passes them in.
/// </summary>
public static class WorkflowValidator
{
    /// <summary>
    /// Chooses the workflow: the requested one, or the config's <c>default_workflow</c> when none was requested.
    /// Errors (InvalidInput) as quilt3's: a workflow argument without a config, none chosen while the config
    /// requires one, or an id the config does not define (the message lists the defined ids).
    /// </summary>
    public static WorkflowSelection Select(WorkflowConfig? config, WorkflowRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (config is null)
        {
            if (!request.IsSpecified)
            {
                return WorkflowSelection.None;
            }

            throw QuiltException.InvalidInput(
                $"{(request.WorkflowId is null ? "None" : Quote(request.WorkflowId))} workflow is specified, but no workflows config exist.",
                "Omit the workflow argument: the registry has no .quilt/workflows/config.yml.");
        }

        var id = request.IsSpecified ? request.WorkflowId : config.DefaultWorkflow;
        if (id is null)
        {
            if (config.IsWorkflowRequired)
            {
                throw QuiltException.InvalidInput("Workflow required, but none specified.", $"Choose a workflow: {KnownIds(config)}.");
            }

            return WorkflowSelection.None;
        }

        if (!config.Workflows.TryGetValue(id, out var workflow))
        {
            throw QuiltException.InvalidInput(
                $"There is no {Quote(id)} workflow in config. Known workflows: {KnownIds(config)}.",
                request.IsSpecified ? "Choose one of the known workflows." : "Fix default_workflow in .quilt/workflows/config.yml or name a workflow.");
        }

        return new WorkflowSelection(workflow);
    }

    /// <summary>The ids of the schemas the selected workflow uses (metadata schema first), each once.</summary>
    public static IReadOnlyList<string> RequiredSchemaIds(WorkflowConfig config, WorkflowSelection selection) =>
        [.. RequiredSchemas(config, selection).Select(s => s.Id)];

    /// <summary>
    /// The schemas the selected workflow uses, with the URLs to load them from (metadata schema first, each id
    /// once). A schema id missing from the config's <c>schemas</c> is an InvalidInput error, as in quilt3.
    /// </summary>
    public static IReadOnlyList<WorkflowSchemaReference> RequiredSchemas(WorkflowConfig config, WorkflowSelection selection)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(selection);
        var result = new List<WorkflowSchemaReference>();
        if (selection.Workflow is not { } workflow)
        {
            return result;
        }

        foreach (var id in new[] { workflow.MetadataSchemaId, workflow.EntriesSchemaId })
        {
            // quilt3 skips empty ids ("if metadata_schema_id:").
            if (string.IsNullOrEmpty(id) || result.Any(r => r.Id == id))
            {
                continue;
            }

            if (!config.Schemas.TryGetValue(id, out var url))
            {
                throw QuiltException.InvalidInput(
                    $"There is no {Quote(id)} in schemas of workflows config {config.ConfigUrl} (used by workflow {Quote(workflow.Id)}).",
                    "Add the schema under 'schemas' in .quilt/workflows/config.yml or fix the workflow.");
            }

            result.Add(new WorkflowSchemaReference(id, url));
        }

        return result;
    }

    /// <summary>
    /// Applies the selected workflow and returns the manifest header's <c>workflow</c> object
    /// (<c>{"id", "config", "schemas"?}</c>, exactly as quilt3 writes it), or null when there is no config (the
    /// header then has no <c>workflow</c> member). Failures are InvalidInput errors naming the workflow and
    /// listing the schema errors with their paths.
    /// </summary>
    /// <param name="config">The registry's config, or null when it has none.</param>
    /// <param name="selection">From <see cref="Select"/>.</param>
    /// <param name="packageName">The package name (<c>user/pkg</c>), checked against <c>handle_pattern</c>.</param>
    /// <param name="message">The commit message.</param>
    /// <param name="userMeta">Package-level user metadata; null when absent (validated as <c>{}</c>).</param>
    /// <param name="entries">The entries in walk order (logical-key order).</param>
    /// <param name="schemas">The loaded schemas by id; must hold every id of <see cref="RequiredSchemas"/>.</param>
    public static QuiltJsonObject? Validate(
        WorkflowConfig? config,
        WorkflowSelection selection,
        string packageName,
        string? message,
        QuiltJsonValue? userMeta,
        IReadOnlyList<WorkflowEntry> entries,
        IReadOnlyDictionary<string, LoadedSchema> schemas)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(packageName);
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(schemas);
        if (config is null)
        {
            return selection.Workflow is null
                ? null
                : throw new ArgumentException("A workflow cannot be selected without a workflows config.", nameof(selection));
        }

        var header = new List<KeyValuePair<string, QuiltJsonValue>>
        {
            new("id", selection.Id is null ? QuiltJsonNull.Instance : new QuiltJsonString(selection.Id)),
            new("config", new QuiltJsonString(config.ConfigUrl)),
        };
        if (selection.Workflow is not { } workflow)
        {
            return new QuiltJsonObject(header);
        }

        // Same order as quilt3: compile the handle pattern, load the schemas, then check message, name, metadata, entries.
        var handle = string.IsNullOrEmpty(workflow.HandlePattern) ? null : CompileHandlePattern(workflow);
        var used = RequiredSchemas(config, selection)
            .Select(reference =>
            {
                var loaded = Find(schemas, reference.Id);
                return (reference.Id, Loaded: loaded, Schema: Compile(workflow, loaded));
            })
            .ToList();

        if (workflow.IsMessageRequired && string.IsNullOrEmpty(message))
        {
            throw QuiltException.InvalidInput(
                $"Commit message is required by workflow {Quote(workflow.Id)}, but none was provided.",
                "Pass a non-empty commit message.");
        }

        if (handle is not null && !PythonRegex.Search(handle, packageName))
        {
            throw QuiltException.InvalidInput(
                $"Package name {Quote(packageName)} doesn't match the pattern {Quote(workflow.HandlePattern!)} required by workflow {Quote(workflow.Id)}.",
                "Use a package name that matches the pattern, or choose another workflow.");
        }

        if (!string.IsNullOrEmpty(workflow.MetadataSchemaId))
        {
            var (_, loaded, schema) = used.First(u => u.Id == workflow.MetadataSchemaId);
            var result = schema.Validate(userMeta ?? QuiltJsonObject.Empty);
            if (!result.IsValid)
            {
                throw QuiltException.InvalidInput(
                    $"Metadata failed validation for workflow {Quote(workflow.Id)} (schema {Quote(loaded.Id)}, {loaded.EffectiveUrl}): "
                    + FormatErrors(result.Errors.Select(e => e.ToString()).ToList()),
                    "Change the package metadata to satisfy the schema, or choose another workflow.");
            }
        }

        if (!string.IsNullOrEmpty(workflow.EntriesSchemaId))
        {
            var (_, loaded, schema) = used.First(u => u.Id == workflow.EntriesSchemaId);
            var result = schema.Validate(EntriesDocument(entries));
            if (!result.IsValid)
            {
                throw QuiltException.InvalidInput(
                    $"Package entries failed validation for workflow {Quote(workflow.Id)} (schema {Quote(loaded.Id)}, {loaded.EffectiveUrl}): "
                    + FormatErrors(result.Errors.Select(e => DescribeEntryError(e, entries)).ToList()),
                    "Change the package files or their metadata to satisfy the schema, or choose another workflow.");
            }
        }

        if (used.Count > 0)
        {
            header.Add(new("schemas", new QuiltJsonObject(used.Select(u => new KeyValuePair<string, QuiltJsonValue>(u.Id, new QuiltJsonString(u.Loaded.EffectiveUrl))))));
        }

        return new QuiltJsonObject(header);
    }

    /// <summary>The list quilt3 hands to an entries schema: <c>[{"logical_key", "size", "meta"}, …]</c>, meta being the entry's user metadata or <c>{}</c>.</summary>
    internal static QuiltJsonArray EntriesDocument(IReadOnlyList<WorkflowEntry> entries) =>
        new(entries.Select(e => (QuiltJsonValue)new QuiltJsonObject([
            new("logical_key", new QuiltJsonString(e.LogicalKey)),
            new("size", new QuiltJsonInteger(e.Size)),
            new("meta", e.UserMeta ?? QuiltJsonObject.Empty),
        ])));

    private static string DescribeEntryError(SchemaError error, IReadOnlyList<WorkflowEntry> entries)
    {
        // "/12/meta/x" → name the entry by its logical key, which users recognize better than an index.
        var path = error.InstancePath;
        if (path.Length > 1)
        {
            var end = path.IndexOf('/', 1);
            var segment = end < 0 ? path[1..] : path[1..end];
            if (int.TryParse(segment, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
                && index < entries.Count)
            {
                return $"{path} (entry {Quote(entries[index].LogicalKey)}): {error.Message}";
            }
        }

        return error.ToString();
    }

    private static System.Text.RegularExpressions.Regex CompileHandlePattern(WorkflowDefinition workflow)
    {
        try
        {
            return PythonRegex.Compile(workflow.HandlePattern!);
        }
        catch (QuiltException e)
        {
            throw QuiltException.InvalidInput(
                $"The handle_pattern of workflow {Quote(workflow.Id)} in the workflows config is invalid: {e.Message}",
                "Fix handle_pattern in .quilt/workflows/config.yml (Python 're' syntax).");
        }
    }

    private static LoadedSchema Find(IReadOnlyDictionary<string, LoadedSchema> schemas, string id) =>
        schemas.TryGetValue(id, out var loaded)
            ? loaded
            : throw new ArgumentException($"Schema '{id}' was not loaded; load every schema listed by RequiredSchemas first.", nameof(schemas));

    private static JsonSchema Compile(WorkflowDefinition workflow, LoadedSchema loaded)
    {
        try
        {
            return JsonSchema.Parse(loaded.Schema);
        }
        catch (QuiltException e)
        {
            throw QuiltException.InvalidInput(
                $"Schema {Quote(loaded.Id)} ({loaded.EffectiveUrl}) used by workflow {Quote(workflow.Id)} is not valid: {e.Message}",
                e.Hint);
        }
    }

    private static string FormatErrors(IReadOnlyList<string> errors) => WorkflowConfig.FormatErrors(errors);

    private static string KnownIds(WorkflowConfig config) => string.Join(", ", config.WorkflowList.Select(w => Quote(w.Id)));

    private static string Quote(string text) => "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}
