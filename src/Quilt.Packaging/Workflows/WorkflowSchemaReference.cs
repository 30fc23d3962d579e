namespace Quilt.Packaging.Workflows;

/// <summary>A schema a workflow needs: its id and the URL written in the config, for the caller to load.</summary>
/// <param name="Id">The schema id (key in the config's <c>schemas</c>).</param>
/// <param name="Url">The URL from the config (<c>s3://…</c>, or <c>file://…</c> for local registries), possibly with a version id.</param>
public sealed record WorkflowSchemaReference(string Id, string Url);
