namespace Quilt.Packaging.Workflows;

/// <summary>The outcome of <see cref="WorkflowValidator.Select"/>: the workflow to apply, or none.</summary>
/// <param name="Workflow">The chosen workflow; null when the package is pushed without one (no config, or none chosen and none required).</param>
public sealed record WorkflowSelection(WorkflowDefinition? Workflow)
{
    /// <summary>No workflow.</summary>
    public static WorkflowSelection None { get; } = new((WorkflowDefinition?)null);

    /// <summary>The chosen workflow's id, or null.</summary>
    public string? Id => Workflow?.Id;
}
