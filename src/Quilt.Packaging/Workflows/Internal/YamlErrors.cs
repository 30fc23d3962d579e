using Quilt.Core.Errors;
using YamlDotNet.Core;

namespace Quilt.Packaging.Workflows.Internal;

/// <summary>The one shape of YAML errors: where (1-based line and column) and what.</summary>
internal static class YamlErrors
{
    public static QuiltException Create(Mark at, string what) =>
        QuiltException.InvalidInput(
            $"Malformed YAML at line {at.Line}, column {at.Column}: {what.TrimEnd('.')}.",
            "Fix the YAML syntax at that position.");
}
