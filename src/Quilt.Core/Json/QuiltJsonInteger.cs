using System.Globalization;
using System.Numerics;

namespace Quilt.Core.Json;

/// <summary>An exact JSON integer of any size (Python <c>int</c>): a number token without <c>.</c>, <c>e</c> or <c>E</c>.</summary>
public sealed class QuiltJsonInteger : QuiltJsonValue
{
    /// <summary>Creates an integer value.</summary>
    public QuiltJsonInteger(BigInteger value) => Value = value;

    /// <summary>The exact value.</summary>
    public BigInteger Value { get; }

    /// <inheritdoc />
    public override QuiltJsonKind Kind => QuiltJsonKind.Integer;

    /// <inheritdoc />
    public override bool IsTruthy => !Value.IsZero;

    /// <inheritdoc />
    public override bool Equals(QuiltJsonValue? other) => other is QuiltJsonInteger i && i.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
