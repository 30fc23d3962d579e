namespace Quilt.Packaging.Workflows;

/// <summary>
/// What the caller asked for, in quilt3's three cases: no workflow argument (<c>...</c> in Python: use the
/// config's <c>default_workflow</c>), an explicit <c>None</c> (push without a workflow), or a workflow id.
/// </summary>
/// <param name="IsSpecified">Whether a workflow argument was given at all.</param>
/// <param name="WorkflowId">The id given; null with <paramref name="IsSpecified"/> means "explicitly none". Ignored when not specified.</param>
public sealed record WorkflowRequest(bool IsSpecified, string? WorkflowId)
{
    /// <summary>No workflow argument: the config's default applies.</summary>
    public static WorkflowRequest Default { get; } = new(false, null);

    /// <summary>Explicitly no workflow (quilt3 <c>workflow=None</c>).</summary>
    public static WorkflowRequest ExplicitNone { get; } = new(true, null);

    /// <summary>A named workflow.</summary>
    public static WorkflowRequest For(string workflowId)
    {
        ArgumentNullException.ThrowIfNull(workflowId);
        return new(true, workflowId);
    }
}
