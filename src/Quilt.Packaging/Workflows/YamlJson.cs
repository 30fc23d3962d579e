using Quilt.Core.Errors;
using Quilt.Core.Json;
using Quilt.Packaging.Workflows.Internal;
using YamlDotNet.Core;

namespace Quilt.Packaging.Workflows;

/// <summary>
/// Reads YAML the way quilt3 reads <c>.quilt/workflows/config.yml</c> (PyYAML <c>yaml.safe_load</c>), into the
/// project's JSON model: YAML 1.1 typing of plain scalars (<c>yes</c>, <c>on</c>, <c>~</c>, <c>0x1F</c>,
/// <c>1_000</c>, <c>.inf</c>), quoted and block scalars always strings, anchors, aliases and <c>&lt;&lt;</c> merges,
/// last duplicate key wins. A config therefore validates here exactly as it would in quilt3.
/// </summary>
public static class YamlJson
{
    /// <summary>
    /// Converts one YAML document to JSON; an empty document is <c>null</c>. Malformed YAML, several documents,
    /// recursive aliases, collection keys and non-standard tags are <see cref="QuiltErrorKind.InvalidInput"/>
    /// errors naming the line and column. Timestamps stay strings (PyYAML would make dates, which JSON lacks).
    /// </summary>
    public static QuiltJsonValue FromYaml(string yamlText)
    {
        ArgumentNullException.ThrowIfNull(yamlText);
        try
        {
            return YamlComposer.Compose(yamlText);
        }
        catch (YamlException e)
        {
            throw YamlErrors.Create(e.Start, e.Message);
        }
    }
}
