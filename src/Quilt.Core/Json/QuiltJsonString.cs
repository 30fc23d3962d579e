namespace Quilt.Core.Json;

/// <summary>A JSON string.</summary>
public sealed class QuiltJsonString : QuiltJsonValue
{
    /// <summary>The empty string.</summary>
    public static readonly QuiltJsonString Empty = new(string.Empty);

    /// <summary>Creates a string value.</summary>
    public QuiltJsonString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Value = value;
    }

    /// <summary>The text (UTF-16; may hold lone surrogates after parsing escapes).</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override QuiltJsonKind Kind => QuiltJsonKind.String;

    /// <inheritdoc />
    public override bool IsTruthy => Value.Length > 0;

    /// <inheritdoc />
    public override bool Equals(QuiltJsonValue? other) => other is QuiltJsonString s && string.Equals(s.Value, Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;
}
