namespace Quilt.Packaging.Workflows;

/// <summary>One entry of the config's <c>workflows</c> map: the rules a package pushed under this workflow must meet.</summary>
/// <param name="Id">The key in <c>workflows</c>, recorded in the manifest header as <c>workflow.id</c>.</param>
/// <param name="Name">Display name shown by quilt3 and the catalog.</param>
/// <param name="Description">Optional longer text.</param>
/// <param name="HandlePattern">Python regular expression the package name must match (<c>re.search</c>); null or empty means none.</param>
/// <param name="MetadataSchemaId">Key in <c>schemas</c> of the schema for package-level metadata, or null.</param>
/// <param name="EntriesSchemaId">Key in <c>schemas</c> of the schema for the list of entries, or null.</param>
/// <param name="IsMessageRequired">Whether a non-empty commit message is required.</param>
public sealed record WorkflowDefinition(
    string Id,
    string Name,
    string? Description,
    string? HandlePattern,
    string? MetadataSchemaId,
    string? EntriesSchemaId,
    bool IsMessageRequired);
