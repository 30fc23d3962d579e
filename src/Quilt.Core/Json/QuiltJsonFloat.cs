namespace Quilt.Core.Json;

/// <summary>A JSON number that Python parses as a float: a token with <c>.</c>, <c>e</c> or <c>E</c>, or NaN/Infinity.</summary>
public sealed class QuiltJsonFloat : QuiltJsonValue
{
    /// <summary>Creates a float value.</summary>
    public QuiltJsonFloat(double value) => Value = value;

    /// <summary>The value; may be NaN or infinite.</summary>
    public double Value { get; }

    /// <inheritdoc />
    public override QuiltJsonKind Kind => QuiltJsonKind.Float;

    /// <inheritdoc />
    public override bool IsTruthy => Value != 0.0;

    /// <inheritdoc />
    /// <remarks>Bitwise equality, so that NaN equals NaN and -0.0 differs from 0.0 (they hash differently).</remarks>
    public override bool Equals(QuiltJsonValue? other) =>
        other is QuiltJsonFloat f && BitConverter.DoubleToInt64Bits(f.Value) == BitConverter.DoubleToInt64Bits(Value);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.DoubleToInt64Bits(Value).GetHashCode();

    /// <summary>Python's <c>repr</c> of the value (<see cref="PythonFloat.Repr"/>), the digits quilt3 would write.</summary>
    public override string ToString() => PythonFloat.Repr(Value);
}
