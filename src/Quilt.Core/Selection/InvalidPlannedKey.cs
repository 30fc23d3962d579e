namespace Quilt.Core.Selection;

/// <summary>A source object whose logical key would break the logical-key rules (quilt-format §5.4).</summary>
/// <param name="SourceKey">The source key, e.g. <c>a//b</c> or <c>x/..</c>.</param>
/// <param name="LogicalKey">The logical key it would get.</param>
/// <param name="Reason">The rule broken, from <see cref="Naming.LogicalKeys.GetViolation"/>.</param>
public sealed record InvalidPlannedKey(string SourceKey, string LogicalKey, string Reason);
