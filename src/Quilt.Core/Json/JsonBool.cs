namespace Quilt.Core.Json;

/// <summary>The JSON literals <c>true</c> and <c>false</c>.</summary>
public sealed class JsonBool : JsonValue
{
    /// <summary><c>true</c>.</summary>
    public static readonly JsonBool True = new(true);

    /// <summary><c>false</c>.</summary>
    public static readonly JsonBool False = new(false);

    private JsonBool(bool value) => Value = value;

    /// <summary>The boolean value.</summary>
    public bool Value { get; }

    /// <inheritdoc />
    public override JsonValueKind Kind => JsonValueKind.Boolean;

    /// <inheritdoc />
    public override bool IsTruthy => Value;

    /// <summary>Returns the shared instance for <paramref name="value"/>.</summary>
    public static JsonBool From(bool value) => value ? True : False;

    /// <inheritdoc />
    public override bool Equals(JsonValue? other) => other is JsonBool b && b.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => Value ? 1 : 2;

    /// <inheritdoc />
    public override string ToString() => Value ? "true" : "false";
}
