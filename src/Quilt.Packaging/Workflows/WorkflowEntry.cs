using Quilt.Core.Json;

namespace Quilt.Packaging.Workflows;

/// <summary>One package entry as an entries schema sees it (quilt3 validates <c>{"logical_key", "size", "meta"}</c> per entry).</summary>
/// <param name="LogicalKey">The entry's logical key.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="UserMeta">The entry's user metadata (<c>meta.user_meta</c>); null when absent, which validates as <c>{}</c>.</param>
public sealed record WorkflowEntry(string LogicalKey, long Size, QuiltJsonValue? UserMeta);
