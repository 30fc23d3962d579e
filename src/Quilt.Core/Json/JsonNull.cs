namespace Quilt.Core.Json;

/// <summary>The JSON <c>null</c> literal.</summary>
public sealed class JsonNull : JsonValue
{
    /// <summary>The only instance.</summary>
    public static readonly JsonNull Instance = new();

    private JsonNull()
    {
    }

    /// <inheritdoc />
    public override JsonValueKind Kind => JsonValueKind.Null;

    /// <inheritdoc />
    public override bool IsTruthy => false;

    /// <inheritdoc />
    public override bool Equals(JsonValue? other) => other is JsonNull;

    /// <inheritdoc />
    public override int GetHashCode() => 0;

    /// <inheritdoc />
    public override string ToString() => "null";
}
