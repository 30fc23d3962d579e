using Quilt.Core.Json;

namespace Quilt.Core.Schema.Internal;

/// <summary>A compiled (sub)schema: a boolean schema, or the keywords of an object schema in their written order.</summary>
internal sealed class SchemaNode
{
    private readonly bool? _boolean;
    private readonly Keyword[] _keywords;

    private SchemaNode(string schemaPath, bool? boolean, Keyword[] keywords)
    {
        SchemaPath = schemaPath;
        _boolean = boolean;
        _keywords = keywords;
    }

    public string SchemaPath { get; }

    /// <summary>Whether this is the schema <c>false</c>, which some keywords report in their own words.</summary>
    public bool IsFalse => _boolean == false;

    public static SchemaNode FromBoolean(string schemaPath, bool value) => new(schemaPath, value, []);

    public static SchemaNode FromKeywords(string schemaPath, IEnumerable<Keyword> keywords) => new(schemaPath, null, [.. keywords]);

    /// <summary>
    /// Validates <paramref name="instance"/>. With <paramref name="errors"/> every failure is recorded; without,
    /// evaluation stops at the first failure (used where only validity matters: anyOf, oneOf, not, contains, if).
    /// </summary>
    public bool Evaluate(QuiltJsonValue instance, InstancePath? path, List<SchemaError>? errors)
    {
        if (_boolean is bool b)
        {
            if (!b)
            {
                errors?.Add(new SchemaError(InstancePath.ToPointer(path), SchemaPath, $"False schema does not allow {ValueText.Describe(instance)}"));
            }

            return b;
        }

        var valid = true;
        foreach (var keyword in _keywords)
        {
            if (!keyword.Evaluate(instance, path, errors))
            {
                valid = false;
                if (errors is null)
                {
                    return false;
                }
            }
        }

        return valid;
    }
}
