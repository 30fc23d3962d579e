using Quilt.Core.Json;

namespace Quilt.Core.Schema.Internal;

/// <summary><c>items</c> as one schema for every element.</summary>
internal sealed class ItemsKeyword(string schemaPath, SchemaNode items) : Keyword(schemaPath)
{
    public override bool Evaluate(QuiltJsonValue instance, InstancePath? path, List<SchemaError>? errors)
    {
        if (instance is not QuiltJsonArray array)
        {
            return true;
        }

        var valid = true;
        for (var i = 0; i < array.Count; i++)
        {
            if (!items.Evaluate(array[i], InstancePath.Child(path, i), errors))
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

/// <summary><c>items</c> as a list of schemas (tuple form), with <c>additionalItems</c> for the elements past the list.</summary>
internal sealed class TupleItemsKeyword(string schemaPath, IReadOnlyList<SchemaNode> items, SchemaNode? additionalItems, string additionalItemsPath)
    : Keyword(schemaPath)
{
    public override bool Evaluate(QuiltJsonValue instance, InstancePath? path, List<SchemaError>? errors)
    {
        if (instance is not QuiltJsonArray array)
        {
            return true;
        }

        var valid = true;
        for (var i = 0; i < array.Count && i < items.Count; i++)
        {
            if (!items[i].Evaluate(array[i], InstancePath.Child(path, i), errors))
            {
                valid = false;
                if (errors is null)
                {
                    return false;
                }
            }
        }

        if (additionalItems is null || array.Count <= items.Count)
        {
            return valid;
        }

        if (additionalItems.IsFalse)
        {
            errors?.Add(new SchemaError(
                InstancePath.ToPointer(path),
                additionalItemsPath,
                $"Additional items are not allowed ({Unexpected(array.Skip(items.Count).Select(v => ValueText.Describe(v)).ToList())})"));
            return false;
        }

        for (var i = items.Count; i < array.Count; i++)
        {
            if (!additionalItems.Evaluate(array[i], InstancePath.Child(path, i), errors))
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

    /// <summary>"'a' was unexpected" or "'a', 'b' were unexpected", listing at most ten.</summary>
    public static string Unexpected(IReadOnlyList<string> described)
    {
        var shown = described.Count > 10 ? string.Join(", ", described.Take(10)) + $" and {described.Count - 10} more" : string.Join(", ", described);
        return shown + (described.Count == 1 ? " was unexpected" : " were unexpected");
    }
}

/// <summary><c>contains</c>: at least one element must be valid against the schema.</summary>
internal sealed class ContainsKeyword(string schemaPath, SchemaNode contains) : Keyword(schemaPath)
{
    public override bool Evaluate(QuiltJsonValue instance, InstancePath? path, List<SchemaError>? errors)
    {
        if (instance is not QuiltJsonArray array)
        {
            return true;
        }

        for (var i = 0; i < array.Count; i++)
        {
            if (contains.Evaluate(array[i], InstancePath.Child(path, i), null))
            {
                return true;
            }
        }

        return Fail(path, errors, () => $"{ValueText.Describe(instance)} does not contain items matching the given schema");
    }
}
