namespace Quilt.Core.Json;

/// <summary>
/// A JSON value as quilt3 sees it: integers stay apart from floats (and keep arbitrary size), floats may be
/// NaN or infinite, and object members keep their text order. System.Text.Json's DOM cannot represent
/// all of that, and the top hash depends on every one of these distinctions.
/// </summary>
public abstract class QuiltJsonValue : IEquatable<QuiltJsonValue>
{
    private protected QuiltJsonValue()
    {
    }

    /// <summary>The kind of value, for switch statements that do not want type tests.</summary>
    public abstract QuiltJsonKind Kind { get; }

    /// <summary>
    /// quilt3 treats falsy values (<c>null</c>, <c>false</c>, <c>0</c>, <c>0.0</c>, <c>""</c>, <c>[]</c>, <c>{}</c>)
    /// specially in several places (for example entry <c>meta</c>), so the Python notion is exposed here.
    /// </summary>
    public abstract bool IsTruthy { get; }

    /// <inheritdoc />
    public abstract bool Equals(QuiltJsonValue? other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is QuiltJsonValue other && Equals(other);

    /// <inheritdoc />
    public abstract override int GetHashCode();
}
