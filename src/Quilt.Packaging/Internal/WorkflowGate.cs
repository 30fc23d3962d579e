using System.Text;
using Quilt.Core.Errors;
using Quilt.Core.Json;
using Quilt.Core.Naming;
using Quilt.Packaging.Workflows;
using Quilt.Storage;

namespace Quilt.Packaging.Internal;

/// <summary>
/// Applies the target registry's workflow (quilt-format §6.6) to a creation: loads the config and schemas, checks
/// message, handle pattern and metadata before any work, and entry metadata once it is known (after the read-only
/// phase, still before anything is written). Produces the header's <c>workflow</c> member.
/// </summary>
internal sealed class WorkflowGate
{
    private readonly WorkflowConfig? _config;
    private readonly WorkflowSelection _selection;
    private readonly IReadOnlyDictionary<string, LoadedSchema> _schemas;
    private readonly CreationPlan _plan;

    private WorkflowGate(WorkflowConfig? config, WorkflowSelection selection, IReadOnlyDictionary<string, LoadedSchema> schemas, CreationPlan plan)
    {
        _config = config;
        _selection = selection;
        _schemas = schemas;
        _plan = plan;
    }

    /// <summary>The header <c>workflow</c> object, once validation passed; null when the registry has no workflows.</summary>
    public QuiltJsonObject? HeaderWorkflow { get; private set; }

    /// <summary>
    /// Whether entry validation needs what only reading the objects tells: their S3 metadata, or sizes that a list of
    /// files leaves unknown. Then every read runs before the first write.
    /// </summary>
    public bool NeedsEntryRead => _selection.Workflow?.EntriesSchemaId is not null
        && ((_plan.PreserveMetadata && _plan.SourceIsS3) || _plan.Items.Any(i => i.Size is null));

    public static async Task<WorkflowGate> PrepareAsync(CreationPlan plan, CancellationToken cancellationToken)
    {
        var registry = plan.Registry;
        var file = await registry.ReadWorkflowConfigAsync(cancellationToken).ConfigureAwait(false);
        WorkflowConfig? config = null;
        if (file is { } f)
        {
            config = WorkflowConfig.Parse(YamlJson.FromYaml(f.Text), f.Url);
        }

        var selection = WorkflowValidator.Select(config, new WorkflowRequest(plan.Workflow.IsSpecified, plan.Workflow.WorkflowId));
        var schemas = new Dictionary<string, LoadedSchema>(StringComparer.Ordinal);
        if (config is not null)
        {
            foreach (var id in WorkflowValidator.RequiredSchemaIds(config, selection))
            {
                if (!config.Schemas.TryGetValue(id, out var url))
                {
                    throw QuiltException.InvalidInput($"The workflow config {config.ConfigUrl} uses schema '{id}' but does not define it under 'schemas'.", "Fix the workflows config.");
                }

                schemas[id] = await LoadSchemaAsync(registry.Store, id, url, cancellationToken).ConfigureAwait(false);
            }
        }

        return new WorkflowGate(config, selection, schemas, plan);
    }

    /// <summary>Validates everything that is known before reading objects; entry metadata waits if the schema needs it.</summary>
    public void ValidateBeforeTransfer()
    {
        if (!NeedsEntryRead)
        {
            HeaderWorkflow = Validate(_plan.Items.Select(i => new WorkflowEntry(i.LogicalKey, i.Size ?? 0, null)).ToList());
        }
    }

    /// <summary>Validates with the entries' real sizes and metadata (after the read phase, before any write).</summary>
    public void ValidateEntries(IReadOnlyList<WorkflowEntry> entries) => HeaderWorkflow = Validate(entries);

    private QuiltJsonObject? Validate(IReadOnlyList<WorkflowEntry> entries) =>
        WorkflowValidator.Validate(_config, _selection, _plan.Name.ToString(), _plan.Message, _plan.Metadata, entries, _schemas);

    private static async Task<LoadedSchema> LoadSchemaAsync(IObjectStore store, string id, string url, CancellationToken cancellationToken)
    {
        var key = PhysicalKey.Parse(url);
        if (key.IsS3 != (store.Scheme == "s3"))
        {
            throw QuiltException.InvalidInput($"Workflow schema '{id}' is at {url}, which is not in the registry's kind of store.", "Store workflow schemas in S3 for S3 registries (file:// only for local registries).");
        }

        var location = key.IsS3 ? new ObjectLocation(key.Bucket, key.Key, key.VersionId) : new ObjectLocation(Path.GetDirectoryName(key.LocalPath!)!, Path.GetFileName(key.LocalPath!));
        ObjectMetadata head;
        try
        {
            head = await store.HeadAsync(location, cancellationToken).ConfigureAwait(false);
        }
        catch (QuiltException e) when (e.Kind == QuiltErrorKind.NotFound)
        {
            throw QuiltException.InvalidInput($"Workflow schema '{id}' was not found at {url}.", "Fix the schema URL in the workflows config.");
        }

        var bytes = await store.TryReadAllBytesAsync(head.Location, cancellationToken).ConfigureAwait(false)
            ?? throw QuiltException.InvalidInput($"Workflow schema '{id}' was not found at {url}.");
        QuiltJsonValue schema;
        try
        {
            schema = JsonText.Parse(Encoding.UTF8.GetString(bytes));
        }
        catch (QuiltException e)
        {
            throw QuiltException.InvalidInput($"Workflow schema '{id}' at {url} is not valid JSON: {e.Message}");
        }

        return new LoadedSchema(id, store.ToPhysicalKey(head.Location), schema);
    }
}
