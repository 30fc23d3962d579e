using System.Globalization;
using System.Numerics;

namespace Quilt.Core.Json;

/// <summary>An exact JSON integer of any size (Python <c>int</c>): a number token without <c>.</c>, <c>e</c> or <c>E</c>.</summary>
public sealed class JsonInteger : JsonValue
{
    /// <summary>Creates an integer value.</summary>
    public JsonInteger(BigInteger value) => Value = value;

    /// <summary>The exact value.</summary>
    public BigInteger Value { get; }

    /// <inheritdoc />
    public override JsonValueKind Kind => JsonValueKind.Integer;

    /// <inheritdoc />
    public override bool IsTruthy => !Value.IsZero;

    /// <inheritdoc />
    public override bool Equals(JsonValue? other) => other is JsonInteger i && i.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
