namespace Quilt.Core.Json;

/// <summary>A JSON string.</summary>
public sealed class JsonString : JsonValue
{
    /// <summary>The empty string.</summary>
    public static readonly JsonString Empty = new(string.Empty);

    /// <summary>Creates a string value.</summary>
    public JsonString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Value = value;
    }

    /// <summary>The text (UTF-16; may hold lone surrogates after parsing escapes).</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override JsonValueKind Kind => JsonValueKind.String;

    /// <inheritdoc />
    public override bool IsTruthy => Value.Length > 0;

    /// <inheritdoc />
    public override bool Equals(JsonValue? other) => other is JsonString s && string.Equals(s.Value, Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;
}
