namespace Quilt.Packaging.Contracts;

/// <summary>
/// The workflow a caller asked for, keeping quilt3's three cases apart: not specified (use the bucket's
/// <c>default_workflow</c>), explicitly none, or a named workflow.
/// </summary>
/// <param name="IsSpecified">False: use the bucket default.</param>
/// <param name="WorkflowId">The workflow id; null with <paramref name="IsSpecified"/> means "no workflow".</param>
public sealed record WorkflowChoice(bool IsSpecified, string? WorkflowId)
{
    /// <summary>Not specified: the bucket's default applies.</summary>
    public static readonly WorkflowChoice Default = new(false, null);

    /// <summary>Explicitly no workflow.</summary>
    public static readonly WorkflowChoice None = new(true, null);

    /// <summary>A named workflow.</summary>
    public static WorkflowChoice Named(string id) => new(true, id);
}
