namespace Quilt.Core.Json;

/// <summary>The JSON literals <c>true</c> and <c>false</c>.</summary>
public sealed class QuiltJsonBool : QuiltJsonValue
{
    /// <summary><c>true</c>.</summary>
    public static readonly QuiltJsonBool True = new(true);

    /// <summary><c>false</c>.</summary>
    public static readonly QuiltJsonBool False = new(false);

    private QuiltJsonBool(bool value) => Value = value;

    /// <summary>The boolean value.</summary>
    public bool Value { get; }

    /// <inheritdoc />
    public override QuiltJsonKind Kind => QuiltJsonKind.Boolean;

    /// <inheritdoc />
    public override bool IsTruthy => Value;

    /// <summary>Returns the shared instance for <paramref name="value"/>.</summary>
    public static QuiltJsonBool From(bool value) => value ? True : False;

    /// <inheritdoc />
    public override bool Equals(QuiltJsonValue? other) => other is QuiltJsonBool b && b.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => Value ? 1 : 2;

    /// <inheritdoc />
    public override string ToString() => Value ? "true" : "false";
}
