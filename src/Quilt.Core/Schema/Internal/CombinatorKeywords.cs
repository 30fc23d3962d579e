using Quilt.Core.Json;

namespace Quilt.Core.Schema.Internal;

/// <summary><c>allOf</c>: every subschema's errors are reported.</summary>
internal sealed class AllOfKeyword(string schemaPath, IReadOnlyList<SchemaNode> schemas) : Keyword(schemaPath)
{
    public override bool Evaluate(QuiltJsonValue instance, InstancePath? path, List<SchemaError>? errors)
    {
        var valid = true;
        foreach (var schema in schemas)
        {
            valid &= schema.Evaluate(instance, path, errors);
            if (!valid && errors is null)
            {
                return false;
            }
        }

        return valid;
    }
}

/// <summary><c>anyOf</c>: at least one subschema must pass.</summary>
internal sealed class AnyOfKeyword(string schemaPath, IReadOnlyList<SchemaNode> schemas) : Keyword(schemaPath)
{
    public override bool Evaluate(QuiltJsonValue instance, InstancePath? path, List<SchemaError>? errors) =>
        schemas.Any(s => s.Evaluate(instance, path, null))
        || Fail(path, errors, () => $"{ValueText.Describe(instance)} is not valid under any of the given schemas");
}

/// <summary><c>oneOf</c>: exactly one subschema must pass.</summary>
internal sealed class OneOfKeyword(string schemaPath, IReadOnlyList<SchemaNode> schemas) : Keyword(schemaPath)
{
    public override bool Evaluate(QuiltJsonValue instance, InstancePath? path, List<SchemaError>? errors)
    {
        var passing = new List<int>();
        for (var i = 0; i < schemas.Count; i++)
        {
            if (schemas[i].Evaluate(instance, path, null))
            {
                passing.Add(i);
                if (passing.Count > 1 && errors is null)
                {
                    return false;
                }
            }
        }

        return passing.Count switch
        {
            1 => true,
            0 => Fail(path, errors, () => $"{ValueText.Describe(instance)} is not valid under any of the given schemas"),
            _ => Fail(path, errors, () =>
                $"{ValueText.Describe(instance)} is valid under more than one of the given schemas (subschemas {string.Join(", ", passing)})"),
        };
    }
}

/// <summary><c>not</c>: the subschema must fail.</summary>
internal sealed class NotKeyword(string schemaPath, SchemaNode schema, QuiltJsonValue rawSchema) : Keyword(schemaPath)
{
    public override bool Evaluate(QuiltJsonValue instance, InstancePath? path, List<SchemaError>? errors) =>
        !schema.Evaluate(instance, path, null)
        || Fail(path, errors, () => $"{ValueText.Describe(instance)} should not be valid under {ValueText.Describe(rawSchema)}");
}

/// <summary><c>if</c>/<c>then</c>/<c>else</c>: the branch chosen by <c>if</c> reports its own errors.</summary>
internal sealed class ConditionalKeyword(string schemaPath, SchemaNode condition, SchemaNode? then, SchemaNode? otherwise) : Keyword(schemaPath)
{
    public override bool Evaluate(QuiltJsonValue instance, InstancePath? path, List<SchemaError>? errors)
    {
        var branch = condition.Evaluate(instance, path, null) ? then : otherwise;
        return branch is null || branch.Evaluate(instance, path, errors);
    }
}
