using System.Numerics;
using Quilt.Core.Errors;
using Quilt.Core.Json;

namespace Quilt.Core.Schema.Internal;

/// <summary>
/// Turns a draft-07 schema document into <see cref="SchemaNode"/>s, checking it the way quilt3 does before use:
/// <c>$ref</c> anywhere is rejected, <c>$schema</c> must name draft-07, and every keyword must have the shape
/// the draft-07 meta-schema requires (jsonschema's <c>check_schema</c>).
/// </summary>
internal static class SchemaCompiler
{
    public const string Draft07Uri = "http://json-schema.org/draft-07/schema#";
    private const int MaxDepth = 200;
    private const string Hint = "Fix the schema so that it is a valid draft-07 JSON Schema.";

    private static readonly HashSet<string> TypeNames = new(StringComparer.Ordinal)
    {
        "null", "boolean", "object", "array", "number", "string", "integer",
    };

    public static SchemaNode Compile(QuiltJsonValue schema)
    {
        RejectRef(schema, null);
        if (schema is QuiltJsonObject root && root.TryGetValue("$schema", out var metaSchema))
        {
            if (metaSchema is not QuiltJsonString uri)
            {
                throw QuiltException.InvalidInput("$schema must be a string.", Hint);
            }

            if (!string.Equals(uri.Value, Draft07Uri, StringComparison.Ordinal))
            {
                throw QuiltException.InvalidInput(
                    $"Unsupported meta-schema: {uri.Value}. Only draft-07 schemas are supported.",
                    $"Set \"$schema\" to \"{Draft07Uri}\" or remove it.");
            }
        }

        return CompileNode(schema, string.Empty, 0);
    }

    /// <summary>quilt3 refuses any JSON object with a <c>$ref</c> member anywhere in a schema file, even inside data.</summary>
    private static void RejectRef(QuiltJsonValue value, InstancePath? path)
    {
        switch (value)
        {
            case QuiltJsonObject obj:
                if (obj.ContainsName("$ref"))
                {
                    var at = InstancePath.ToPointer(path);
                    throw QuiltException.InvalidInput(
                        $"The schema uses $ref{(at.Length == 0 ? string.Empty : " at " + at)}: $ref is not supported in workflow schemas.",
                        "Inline the referenced schema instead of referring to it.");
                }

                foreach (var member in obj)
                {
                    RejectRef(member.Value, InstancePath.Child(path, member.Key));
                }

                break;
            case QuiltJsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    RejectRef(array[i], InstancePath.Child(path, i));
                }

                break;
        }
    }

    private static SchemaNode CompileNode(QuiltJsonValue schema, string path, int depth)
    {
        if (depth > MaxDepth)
        {
            throw QuiltException.InvalidInput($"The schema nests deeper than {MaxDepth} levels (at {path}).", "Flatten the schema.");
        }

        if (schema is QuiltJsonBool b)
        {
            return SchemaNode.FromBoolean(path, b.Value);
        }

        if (schema is not QuiltJsonObject obj)
        {
            throw Invalid(path, $"a schema must be an object or a boolean, not {ValueText.Describe(schema)}");
        }

        var keywords = new List<Keyword>();
        var grouped = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in obj)
        {
            var at = path + "/" + InstancePath.Escape(name);
            var next = depth + 1;
            switch (name)
            {
                case "type":
                    keywords.Add(new TypeKeyword(at, TypeList(value, at)));
                    break;
                case "enum":
                    keywords.Add(new EnumKeyword(at, value as QuiltJsonArray ?? throw Invalid(at, "'enum' must be an array")));
                    break;
                case "const":
                    keywords.Add(new ConstKeyword(at, value));
                    break;
                case "multipleOf":
                    if (value is not (QuiltJsonInteger or QuiltJsonFloat) || BoundKeyword.CompareNumbers(value, new QuiltJsonInteger(0)) is not > 0)
                    {
                        throw Invalid(at, $"'multipleOf' must be a number greater than 0, not {ValueText.Describe(value)}");
                    }

                    keywords.Add(new MultipleOfKeyword(at, value));
                    break;
                case "minimum" or "maximum" or "exclusiveMinimum" or "exclusiveMaximum":
                    if (value is not (QuiltJsonInteger or QuiltJsonFloat))
                    {
                        throw Invalid(at, $"'{name}' must be a number, not {ValueText.Describe(value)}");
                    }

                    keywords.Add(new BoundKeyword(at, name, value));
                    break;
                case "minLength" or "maxLength" or "minItems" or "maxItems" or "minProperties" or "maxProperties":
                    keywords.Add(new SizeKeyword(at, name, NonNegativeInteger(name, value, at)));
                    break;
                case "pattern":
                    var pattern = value as QuiltJsonString ?? throw Invalid(at, $"'pattern' must be a string, not {ValueText.Describe(value)}");
                    keywords.Add(new PatternKeyword(at, pattern.Value, Regex(pattern.Value, at)));
                    break;
                case "items" or "additionalItems":
                    if (grouped.Add("items"))
                    {
                        keywords.AddRange(CompileItems(obj, path, next));
                    }

                    break;
                case "uniqueItems":
                    if (value is not QuiltJsonBool unique)
                    {
                        throw Invalid(at, $"'uniqueItems' must be a boolean, not {ValueText.Describe(value)}");
                    }

                    if (unique.Value)
                    {
                        keywords.Add(new UniqueItemsKeyword(at));
                    }

                    break;
                case "contains":
                    keywords.Add(new ContainsKeyword(at, CompileNode(value, at, next)));
                    break;
                case "required":
                    keywords.Add(new RequiredKeyword(at, StringArray(name, value, at)));
                    break;
                case "properties" or "patternProperties" or "additionalProperties":
                    if (grouped.Add("properties"))
                    {
                        keywords.Add(CompileProperties(obj, path, next));
                    }

                    break;
                case "dependencies":
                    keywords.Add(CompileDependencies(value, at, next));
                    break;
                case "propertyNames":
                    keywords.Add(new PropertyNamesKeyword(at, CompileNode(value, at, next)));
                    break;
                case "if" or "then" or "else":
                    if (grouped.Add("if"))
                    {
                        var conditional = CompileConditional(obj, path, next);
                        if (conditional is not null)
                        {
                            keywords.Add(conditional);
                        }
                    }

                    break;
                case "allOf":
                    keywords.Add(new AllOfKeyword(at, SchemaArray(name, value, at, next)));
                    break;
                case "anyOf":
                    keywords.Add(new AnyOfKeyword(at, SchemaArray(name, value, at, next)));
                    break;
                case "oneOf":
                    keywords.Add(new OneOfKeyword(at, SchemaArray(name, value, at, next)));
                    break;
                case "not":
                    keywords.Add(new NotKeyword(at, CompileNode(value, at, next), value));
                    break;
                case "definitions":
                    // Checked for shape like the meta-schema does, but never used: without $ref nothing can refer to them.
                    foreach (var (defName, definition) in value as QuiltJsonObject ?? throw Invalid(at, "'definitions' must be an object"))
                    {
                        CompileNode(definition, at + "/" + InstancePath.Escape(defName), next);
                    }

                    break;
                case "$id" or "$schema" or "$comment" or "title" or "description" or "format" or "contentMediaType" or "contentEncoding":
                    if (value is not QuiltJsonString)
                    {
                        throw Invalid(at, $"'{name}' must be a string, not {ValueText.Describe(value)}");
                    }

                    break;
                case "readOnly" or "writeOnly":
                    if (value is not QuiltJsonBool)
                    {
                        throw Invalid(at, $"'{name}' must be a boolean, not {ValueText.Describe(value)}");
                    }

                    break;
                case "examples":
                    if (value is not QuiltJsonArray)
                    {
                        throw Invalid(at, $"'examples' must be an array, not {ValueText.Describe(value)}");
                    }

                    break;
                default:
                    // "default" and unknown keywords are annotations only; "format" is never asserted
                    // (quilt3 validates without a format checker).
                    break;
            }
        }

        return SchemaNode.FromKeywords(path, keywords);
    }

    private static IEnumerable<Keyword> CompileItems(QuiltJsonObject obj, string path, int depth)
    {
        var additionalPath = path + "/additionalItems";
        SchemaNode? additional = obj.TryGetValue("additionalItems", out var additionalValue)
            ? CompileNode(additionalValue, additionalPath, depth)
            : null;
        if (!obj.TryGetValue("items", out var items))
        {
            yield break; // additionalItems alone has no effect.
        }

        var itemsPath = path + "/items";
        if (items is QuiltJsonArray tuple)
        {
            if (tuple.Count == 0)
            {
                throw Invalid(itemsPath, "'items' must be a schema or a non-empty array of schemas");
            }

            var nodes = tuple.Select((s, i) => CompileNode(s, itemsPath + "/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), depth)).ToList();
            yield return new TupleItemsKeyword(itemsPath, nodes, additional, additionalPath);
        }
        else
        {
            yield return new ItemsKeyword(itemsPath, CompileNode(items, itemsPath, depth));
        }
    }

    private static PropertiesKeyword CompileProperties(QuiltJsonObject obj, string path, int depth)
    {
        Dictionary<string, SchemaNode>? properties = null;
        if (obj.TryGetValue("properties", out var propertiesValue))
        {
            var at = path + "/properties";
            properties = new Dictionary<string, SchemaNode>(StringComparer.Ordinal);
            foreach (var (name, schema) in propertiesValue as QuiltJsonObject ?? throw Invalid(at, "'properties' must be an object"))
            {
                properties[name] = CompileNode(schema, at + "/" + InstancePath.Escape(name), depth);
            }
        }

        var patterns = new List<PatternSchema>();
        if (obj.TryGetValue("patternProperties", out var patternsValue))
        {
            var at = path + "/patternProperties";
            foreach (var (pattern, schema) in patternsValue as QuiltJsonObject ?? throw Invalid(at, "'patternProperties' must be an object"))
            {
                var patternPath = at + "/" + InstancePath.Escape(pattern);
                patterns.Add(new PatternSchema(pattern, Regex(pattern, patternPath), CompileNode(schema, patternPath, depth)));
            }
        }

        SchemaNode? additional = obj.TryGetValue("additionalProperties", out var additionalValue)
            ? CompileNode(additionalValue, path + "/additionalProperties", depth)
            : null;
        return new PropertiesKeyword(path + (properties is not null ? "/properties" : patterns.Count > 0 ? "/patternProperties" : "/additionalProperties"), properties, patterns, additional);
    }

    private static DependenciesKeyword CompileDependencies(QuiltJsonValue value, string at, int depth)
    {
        var list = new List<(string, IReadOnlyList<string>?, SchemaNode?)>();
        foreach (var (name, dependency) in value as QuiltJsonObject ?? throw Invalid(at, "'dependencies' must be an object"))
        {
            var dependencyPath = at + "/" + InstancePath.Escape(name);
            list.Add(dependency is QuiltJsonArray
                ? (name, StringArray("dependencies", dependency, dependencyPath), null)
                : (name, null, CompileNode(dependency, dependencyPath, depth)));
        }

        return new DependenciesKeyword(at, list);
    }

    private static ConditionalKeyword? CompileConditional(QuiltJsonObject obj, string path, int depth)
    {
        // then/else are checked even without if, as the meta-schema does, but only take effect with it.
        var then = obj.TryGetValue("then", out var thenValue) ? CompileNode(thenValue, path + "/then", depth) : null;
        var otherwise = obj.TryGetValue("else", out var elseValue) ? CompileNode(elseValue, path + "/else", depth) : null;
        return obj.TryGetValue("if", out var condition)
            ? new ConditionalKeyword(path + "/if", CompileNode(condition, path + "/if", depth), then, otherwise)
            : null;
    }

    private static List<SchemaNode> SchemaArray(string name, QuiltJsonValue value, string at, int depth)
    {
        if (value is not QuiltJsonArray array || array.Count == 0)
        {
            throw Invalid(at, $"'{name}' must be a non-empty array of schemas");
        }

        return [.. array.Select((s, i) => CompileNode(s, at + "/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), depth))];
    }

    private static List<string> TypeList(QuiltJsonValue value, string at)
    {
        List<string> names = value switch
        {
            QuiltJsonString s => [s.Value],
            QuiltJsonArray a when a.Count > 0 && a.All(v => v is QuiltJsonString) => [.. a.Cast<QuiltJsonString>().Select(s => s.Value)],
            _ => throw Invalid(at, $"'type' must be a type name or a non-empty array of type names, not {ValueText.Describe(value)}"),
        };
        foreach (var name in names)
        {
            if (!TypeNames.Contains(name))
            {
                throw Invalid(at, $"{ValueText.Quote(name)} is not a JSON Schema type (use {string.Join(", ", TypeNames.Select(ValueText.Quote))})");
            }
        }

        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            throw Invalid(at, "'type' lists a type twice");
        }

        return names;
    }

    private static List<string> StringArray(string name, QuiltJsonValue value, string at)
    {
        if (value is not QuiltJsonArray array || !array.All(v => v is QuiltJsonString))
        {
            throw Invalid(at, $"'{name}' must be an array of strings, not {ValueText.Describe(value)}");
        }

        var strings = array.Cast<QuiltJsonString>().Select(s => s.Value).ToList();
        if (strings.Distinct(StringComparer.Ordinal).Count() != strings.Count)
        {
            throw Invalid(at, $"'{name}' lists a name twice");
        }

        return strings;
    }

    private static BigInteger NonNegativeInteger(string name, QuiltJsonValue value, string at)
    {
        BigInteger? result = value switch
        {
            QuiltJsonInteger i => i.Value,
            QuiltJsonFloat f when double.IsFinite(f.Value) && Math.Floor(f.Value) == f.Value => new BigInteger(f.Value),
            _ => null,
        };
        if (result is not { Sign: >= 0 } n)
        {
            throw Invalid(at, $"'{name}' must be a non-negative integer, not {ValueText.Describe(value)}");
        }

        return n;
    }

    private static System.Text.RegularExpressions.Regex Regex(string pattern, string at)
    {
        try
        {
            return PythonRegex.Compile(pattern);
        }
        catch (QuiltException e)
        {
            throw Invalid(at, e.Message);
        }
    }

    private static QuiltException Invalid(string at, string what) =>
        QuiltException.InvalidInput($"Invalid schema at '{(at.Length == 0 ? "/" : at)}': {what}.", Hint);
}
