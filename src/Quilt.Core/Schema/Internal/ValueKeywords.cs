using System.Numerics;
using System.Text.RegularExpressions;
using Quilt.Core.Json;

namespace Quilt.Core.Schema.Internal;

/// <summary><c>type</c>: one name or a list; <c>integer</c> accepts integral floats (1.0) as Python's jsonschema does.</summary>
internal sealed class TypeKeyword(string schemaPath, IReadOnlyList<string> types) : Keyword(schemaPath)
{
    public override bool Evaluate(QuiltJsonValue instance, InstancePath? path, List<SchemaError>? errors)
    {
        foreach (var type in types)
        {
            if (Matches(type, instance))
            {
                return true;
            }
        }

        return Fail(path, errors, () =>
            $"{ValueText.Describe(instance)} is not of type {string.Join(", ", types.Select(ValueText.Quote))}");
    }

    public static bool Matches(string type, QuiltJsonValue instance) => type switch
    {
        "null" => instance is QuiltJsonNull,
        "boolean" => instance is QuiltJsonBool,
        "object" => instance is QuiltJsonObject,
        "array" => instance is QuiltJsonArray,
        "string" => instance is QuiltJsonString,
        "number" => instance is QuiltJsonInteger or QuiltJsonFloat,
        "integer" => instance is QuiltJsonInteger || (instance is QuiltJsonFloat f && double.IsFinite(f.Value) && Math.Floor(f.Value) == f.Value),
        _ => false,
    };
}

/// <summary><c>enum</c>: the instance must equal one of the listed values (JSON Schema equality).</summary>
internal sealed class EnumKeyword(string schemaPath, QuiltJsonArray values) : Keyword(schemaPath)
{
    public override bool Evaluate(QuiltJsonValue instance, InstancePath? path, List<SchemaError>? errors)
    {
        foreach (var value in values)
        {
            if (JsonEquality.Instance.Equals(value, instance))
            {
                return true;
            }
        }

        return Fail(path, errors, () => $"{ValueText.Describe(instance)} is not one of {ValueText.Describe(values)}");
    }
}

/// <summary><c>const</c>: the instance must equal the value (JSON Schema equality).</summary>
internal sealed class ConstKeyword(string schemaPath, QuiltJsonValue value) : Keyword(schemaPath)
{
    public override bool Evaluate(QuiltJsonValue instance, InstancePath? path, List<SchemaError>? errors) =>
        JsonEquality.Instance.Equals(value, instance) || Fail(path, errors, () => $"{ValueText.Describe(value)} was expected");
}

/// <summary>
/// <c>multipleOf</c>, computed exactly on the decimal values as written (0.0075 is a multiple of 0.0001),
/// never with floating-point remainders. Infinite and NaN instances are never multiples.
/// </summary>
internal sealed class MultipleOfKeyword(string schemaPath, QuiltJsonValue divisor) : Keyword(schemaPath)
{
    private readonly ExactNumber? _divisor = ExactNumber.FromWrittenValue(divisor);

    public override bool Evaluate(QuiltJsonValue instance, InstancePath? path, List<SchemaError>? errors)
    {
        if (instance is not (QuiltJsonInteger or QuiltJsonFloat))
        {
            return true;
        }

        var value = ExactNumber.FromWrittenValue(instance);
        if (value is not null && _divisor is not null && ExactNumber.IsMultipleOf(value.Value, _divisor.Value))
        {
            return true;
        }

        return Fail(path, errors, () => $"{ValueText.Describe(instance)} is not a multiple of {ValueText.Describe(divisor)}");
    }
}

/// <summary>The bounds keywords: <c>minimum</c>, <c>maximum</c>, <c>exclusiveMinimum</c>, <c>exclusiveMaximum</c>.</summary>
internal sealed class BoundKeyword(string schemaPath, string keyword, QuiltJsonValue limit) : Keyword(schemaPath)
{
    public override bool Evaluate(QuiltJsonValue instance, InstancePath? path, List<SchemaError>? errors)
    {
        if (instance is not (QuiltJsonInteger or QuiltJsonFloat))
        {
            return true;
        }

        var comparison = CompareNumbers(instance, limit);
        if (comparison is not int c)
        {
            return true; // NaN compares false with everything, so no bound rejects it (as in Python).
        }

        var (ok, text) = keyword switch
        {
            "minimum" => (c >= 0, "is less than the minimum of"),
            "maximum" => (c <= 0, "is greater than the maximum of"),
            "exclusiveMinimum" => (c > 0, "is less than or equal to the minimum of"),
            _ => (c < 0, "is greater than or equal to the maximum of"),
        };
        return ok || Fail(path, errors, () => $"{ValueText.Describe(instance)} {text} {ValueText.Describe(limit)}");
    }

    /// <summary>Compares two JSON numbers exactly; null when either is NaN.</summary>
    public static int? CompareNumbers(QuiltJsonValue a, QuiltJsonValue b)
    {
        var x = ExactNumber.FromExactValue(a);
        var y = ExactNumber.FromExactValue(b);
        if (x is not null && y is not null)
        {
            return ExactNumber.Compare(x.Value, y.Value);
        }

        var dx = Infinity(a);
        var dy = Infinity(b);
        if (double.IsNaN(dx) || double.IsNaN(dy))
        {
            return null;
        }

        return dx.CompareTo(dy);
    }

    // Finite values map to 0 here; only their order relative to infinities matters once one side is infinite.
    private static double Infinity(QuiltJsonValue value) => value is QuiltJsonFloat f && !double.IsFinite(f.Value) ? f.Value : 0.0;
}

/// <summary>The size keywords: <c>minLength</c>/<c>maxLength</c> (code points), <c>minItems</c>/<c>maxItems</c>, <c>minProperties</c>/<c>maxProperties</c>.</summary>
internal sealed class SizeKeyword(string schemaPath, string keyword, BigInteger limit) : Keyword(schemaPath)
{
    public override bool Evaluate(QuiltJsonValue instance, InstancePath? path, List<SchemaError>? errors)
    {
        int size;
        switch (keyword)
        {
            case "minLength" or "maxLength" when instance is QuiltJsonString s:
                size = CountCodePoints(s.Value);
                break;
            case "minItems" or "maxItems" when instance is QuiltJsonArray a:
                size = a.Count;
                break;
            case "minProperties" or "maxProperties" when instance is QuiltJsonObject o:
                size = o.Count;
                break;
            default:
                return true;
        }

        var isMinimum = keyword.StartsWith("min", StringComparison.Ordinal);
        if (isMinimum ? size >= limit : size <= limit)
        {
            return true;
        }

        return Fail(path, errors, () => ValueText.Describe(instance) + keyword switch
        {
            "minLength" => $" is too short (minimum length {limit})",
            "maxLength" => $" is too long (maximum length {limit})",
            "minItems" => $" is too short (minimum {limit} items)",
            "maxItems" => $" is too long (maximum {limit} items)",
            "minProperties" => $" does not have enough properties (minimum {limit})",
            _ => $" has too many properties (maximum {limit})",
        });
    }

    /// <summary>Length in Unicode code points, as Python's <c>len</c> counts it (a lone surrogate counts as one).</summary>
    public static int CountCodePoints(string text)
    {
        var count = text.Length;
        for (var i = 0; i + 1 < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && char.IsLowSurrogate(text[i + 1]))
            {
                count--;
                i++;
            }
        }

        return count;
    }
}

/// <summary><c>pattern</c>: Python <c>re.search</c> semantics (not anchored).</summary>
internal sealed class PatternKeyword(string schemaPath, string pattern, Regex regex) : Keyword(schemaPath)
{
    public override bool Evaluate(QuiltJsonValue instance, InstancePath? path, List<SchemaError>? errors) =>
        instance is not QuiltJsonString s || PythonRegex.Search(regex, s.Value)
        || Fail(path, errors, () => $"{ValueText.Describe(instance)} does not match {ValueText.Quote(pattern)}");
}

/// <summary><c>uniqueItems: true</c>, with JSON Schema equality (1 and 1.0 are duplicates, true and 1 are not).</summary>
internal sealed class UniqueItemsKeyword(string schemaPath) : Keyword(schemaPath)
{
    public override bool Evaluate(QuiltJsonValue instance, InstancePath? path, List<SchemaError>? errors)
    {
        if (instance is not QuiltJsonArray array)
        {
            return true;
        }

        var seen = new HashSet<QuiltJsonValue>(JsonEquality.Instance);
        foreach (var item in array)
        {
            if (!seen.Add(item))
            {
                return Fail(path, errors, () => $"{ValueText.Describe(instance)} has non-unique elements");
            }
        }

        return true;
    }
}
