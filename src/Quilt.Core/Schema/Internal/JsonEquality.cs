using Quilt.Core.Json;

namespace Quilt.Core.Schema.Internal;

/// <summary>
/// JSON Schema equality as Python's jsonschema applies it for <c>const</c>, <c>enum</c> and <c>uniqueItems</c>:
/// numbers compare by value (<c>1 == 1.0</c>), booleans never equal numbers, object member order is
/// irrelevant, NaN equals nothing. <see cref="QuiltJsonValue.Equals(QuiltJsonValue)"/> is stricter on purpose
/// (it serves manifest hashing), hence this separate comparer.
/// </summary>
internal sealed class JsonEquality : IEqualityComparer<QuiltJsonValue>
{
    public static readonly JsonEquality Instance = new();

    private JsonEquality()
    {
    }

    public bool Equals(QuiltJsonValue? x, QuiltJsonValue? y)
    {
        if (x is null || y is null)
        {
            return x is null && y is null;
        }

        switch (x)
        {
            case QuiltJsonInteger or QuiltJsonFloat:
                if (y is not (QuiltJsonInteger or QuiltJsonFloat))
                {
                    return false;
                }

                var a = ExactNumber.FromExactValue(x);
                var b = ExactNumber.FromExactValue(y);
                if (a is null || b is null)
                {
                    // Infinities equal themselves; NaN equals nothing (Python float semantics).
                    return x is QuiltJsonFloat fx && y is QuiltJsonFloat fy && !double.IsNaN(fx.Value) && fx.Value == fy.Value;
                }

                return ExactNumber.Compare(a.Value, b.Value) == 0;
            case QuiltJsonArray xa:
                if (y is not QuiltJsonArray ya || xa.Count != ya.Count)
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
            case QuiltJsonObject xo:
                if (y is not QuiltJsonObject yo || xo.Count != yo.Count)
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

    public int GetHashCode(QuiltJsonValue obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        switch (obj)
        {
            case QuiltJsonInteger or QuiltJsonFloat:
                var exact = ExactNumber.FromExactValue(obj);
                if (exact is null)
                {
                    return ((QuiltJsonFloat)obj).Value.GetHashCode();
                }

                var n = exact.Value.Normalize();
                return HashCode.Combine(n.Mantissa, n.Exponent);
            case QuiltJsonArray a:
                var hash = new HashCode();
                hash.Add(a.Count);
                foreach (var item in a)
                {
                    hash.Add(GetHashCode(item));
                }

                return hash.ToHashCode();
            case QuiltJsonObject o:
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
