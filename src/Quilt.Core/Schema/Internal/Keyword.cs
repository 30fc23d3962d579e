using Quilt.Core.Json;

namespace Quilt.Core.Schema.Internal;

/// <summary>One compiled schema keyword (or a group of keywords that depend on each other, such as if/then/else).</summary>
internal abstract class Keyword(string schemaPath)
{
    /// <summary>JSON pointer to the keyword in the schema document.</summary>
    public string SchemaPath { get; } = schemaPath;

    /// <summary>Validates; records errors in <paramref name="errors"/> when given. Returns whether the instance passed.</summary>
    public abstract bool Evaluate(QuiltJsonValue instance, InstancePath? path, List<SchemaError>? errors);

    /// <summary>Records a failure (building the message only when errors are being collected) and returns false.</summary>
    protected bool Fail(InstancePath? path, List<SchemaError>? errors, Func<string> message)
    {
        errors?.Add(new SchemaError(InstancePath.ToPointer(path), SchemaPath, message()));
        return false;
    }
}
