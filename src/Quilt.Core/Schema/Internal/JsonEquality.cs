using Quilt.Core.Json;

namespace Quilt.Core.Schema.Internal;

/// <summary>
/// JSON Schema equality as Python's jsonschema applies it for <c>const</c>, <c>enum</c> and <c>uniqueItems</c>:
/// numbers compare by value (<c>1 == 1.0</c>), booleans never equal numbers, object member order is
/// irrelevant, NaN equals nothing. <see cref="JsonValue.Equals(JsonValue)"/> is stricter on purpose
/// (it serves manifest hashing), hence this separate comparer.
/// </summary>
internal sealed class JsonEquality : IEqualityComparer<JsonValue>
{
    public static readonly JsonEquality Instance = new();

    private JsonEquality()
    {
    }

    public bool Equals(JsonValue? x, JsonValue? y)
    {
        if (x is null || y is null)
        {
            return x is null && y is null;
        }

        switch (x)
        {
            case JsonInteger or JsonFloat:
                if (y is not (JsonInteger or JsonFloat))
                {
                    return false;
                }

                var a = ExactNumber.FromExactValue(x);
                var b = ExactNumber.FromExactValue(y);
                if (a is null || b is null)
                {
                    // Infinities equal themselves; NaN equals nothing (Python float semantics).
                    return x is JsonFloat fx && y is JsonFloat fy && !double.IsNaN(fx.Value) && fx.Value == fy.Value;
                }

                return ExactNumber.Compare(a.Value, b.Value) == 0;
            case JsonArray xa:
                if (y is not JsonArray ya || xa.Count != ya.Count)
                {
                    return false;
                }

                for (var i = 0; i < xa.Count; i++)
                {
                    if (!Equals(xa[i], ya[i]))
                    {
                        return false;
                    }
                }

                return true;
            case JsonObject xo:
                if (y is not JsonObject yo || xo.Count != yo.Count)
                {
                    return false;
                }

                foreach (var member in xo)
                {
                    if (!yo.TryGetValue(member.Key, out var other) || !Equals(member.Value, other))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return x.Equals(y);
        }
    }

    public int GetHashCode(JsonValue obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        switch (obj)
        {
            case JsonInteger or JsonFloat:
                var exact = ExactNumber.FromExactValue(obj);
                if (exact is null)
                {
                    return ((JsonFloat)obj).Value.GetHashCode();
                }

                var n = exact.Value.Normalize();
                return HashCode.Combine(n.Mantissa, n.Exponent);
            case JsonArray a:
                var hash = new HashCode();
                hash.Add(a.Count);
                foreach (var item in a)
                {
                    hash.Add(GetHashCode(item));
                }

                return hash.ToHashCode();
            case JsonObject o:
                // Order-independent: sum of member hashes.
                var sum = o.Count;
                foreach (var member in o)
                {
                    sum = unchecked(sum + HashCode.Combine(StringComparer.Ordinal.GetHashCode(member.Key), GetHashCode(member.Value)));
                }

                return sum;
            default:
                return obj.GetHashCode();
        }
    }
}
