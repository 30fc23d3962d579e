using System.Text.RegularExpressions;
using Quilt.Core.Json;

namespace Quilt.Core.Schema.Internal;

/// <summary><c>required</c>: one error per missing name, reported on the object.</summary>
internal sealed class RequiredKeyword(string schemaPath, IReadOnlyList<string> names) : Keyword(schemaPath)
{
    public override bool Evaluate(QuiltJsonValue instance, InstancePath? path, List<SchemaError>? errors)
    {
        if (instance is not QuiltJsonObject obj)
        {
            return true;
        }

        var valid = true;
        foreach (var name in names)
        {
            if (!obj.ContainsName(name))
            {
                valid = Fail(path, errors, () => $"{ValueText.Quote(name)} is a required property");
                if (errors is null)
                {
                    return false;
                }
            }
        }

        return valid;
    }
}

/// <summary>A regular expression of <c>patternProperties</c> with its schema.</summary>
internal sealed record PatternSchema(string Pattern, Regex Regex, SchemaNode Schema);

/// <summary>
/// <c>properties</c>, <c>patternProperties</c> and <c>additionalProperties</c> together, since which members
/// are "additional" depends on the other two.
/// </summary>
internal sealed class PropertiesKeyword(
    string schemaPath,
    IReadOnlyDictionary<string, SchemaNode>? properties,
    IReadOnlyList<PatternSchema> patterns,
    SchemaNode? additional)
    : Keyword(schemaPath)
{
    public override bool Evaluate(QuiltJsonValue instance, InstancePath? path, List<SchemaError>? errors)
    {
        if (instance is not QuiltJsonObject obj)
        {
            return true;
        }

        var valid = true;
        List<string>? extras = null;
        foreach (var member in obj)
        {
            var matched = false;
            var memberPath = InstancePath.Child(path, member.Key);
            if (properties is not null && properties.TryGetValue(member.Key, out var schema))
            {
                matched = true;
                valid &= schema.Evaluate(member.Value, memberPath, errors);
            }

            foreach (var pattern in patterns)
            {
                if (PythonRegex.Search(pattern.Regex, member.Key))
                {
                    matched = true;
                    valid &= pattern.Schema.Evaluate(member.Value, memberPath, errors);
                }
            }

            if (!matched && additional is not null)
            {
                if (additional.IsFalse)
                {
                    (extras ??= []).Add(member.Key);
                    valid = false;
                }
                else
                {
                    valid &= additional.Evaluate(member.Value, memberPath, errors);
                }
            }

            if (!valid && errors is null)
            {
                return false;
            }
        }

        if (extras is not null && errors is not null)
        {
            var described = extras.Select(ValueText.Quote).ToList();
            var message = patterns.Count == 0
                ? $"Additional properties are not allowed ({TupleItemsKeyword.Unexpected(described)})"
                : $"{string.Join(", ", described)} {(extras.Count == 1 ? "does" : "do")} not match any of the regexes: "
                  + string.Join(", ", patterns.Select(p => p.Pattern).Order(StringComparer.Ordinal).Select(ValueText.Quote));
            errors.Add(new SchemaError(InstancePath.ToPointer(path), additional!.SchemaPath, message));
        }

        return valid;
    }
}

/// <summary><c>dependencies</c>: per member, either names that must also be present or a schema the whole object must satisfy.</summary>
internal sealed class DependenciesKeyword(
    string schemaPath,
    IReadOnlyList<(string Name, IReadOnlyList<string>? Names, SchemaNode? Schema)> dependencies)
    : Keyword(schemaPath)
{
    public override bool Evaluate(QuiltJsonValue instance, InstancePath? path, List<SchemaError>? errors)
    {
        if (instance is not QuiltJsonObject obj)
        {
            return true;
        }

        var valid = true;
        foreach (var (name, names, schema) in dependencies)
        {
            if (!obj.ContainsName(name))
            {
                continue;
            }

            if (names is not null)
            {
                foreach (var needed in names)
                {
                    if (!obj.ContainsName(needed))
                    {
                        valid = Fail(path, errors, () => $"{ValueText.Quote(needed)} is a dependency of {ValueText.Quote(name)}");
                    }
                }
            }
            else
            {
                valid &= schema!.Evaluate(instance, path, errors);
            }

            if (!valid && errors is null)
            {
                return false;
            }
        }

        return valid;
    }
}

/// <summary><c>propertyNames</c>: every member name, as a string, must satisfy the schema; errors are reported on the object.</summary>
internal sealed class PropertyNamesKeyword(string schemaPath, SchemaNode names) : Keyword(schemaPath)
{
    public override bool Evaluate(QuiltJsonValue instance, InstancePath? path, List<SchemaError>? errors)
    {
        if (instance is not QuiltJsonObject obj)
        {
            return true;
        }

        var valid = true;
        foreach (var name in obj.Names)
        {
            valid &= names.Evaluate(new QuiltJsonString(name), path, errors);
            if (!valid && errors is null)
            {
                return false;
            }
        }

        return valid;
    }
}
