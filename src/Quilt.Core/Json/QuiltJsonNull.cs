namespace Quilt.Core.Json;

/// <summary>The JSON <c>null</c> literal.</summary>
public sealed class QuiltJsonNull : QuiltJsonValue
{
    /// <summary>The only instance.</summary>
    public static readonly QuiltJsonNull Instance = new();

    private QuiltJsonNull()
    {
    }

    /// <inheritdoc />
    public override QuiltJsonKind Kind => QuiltJsonKind.Null;

    /// <inheritdoc />
    public override bool IsTruthy => false;

    /// <inheritdoc />
    public override bool Equals(QuiltJsonValue? other) => other is QuiltJsonNull;

    /// <inheritdoc />
    public override int GetHashCode() => 0;

    /// <inheritdoc />
    public override string ToString() => "null";
}
