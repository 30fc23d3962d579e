namespace Quilt.Core.Json;

/// <summary>The kinds of <see cref="QuiltJsonValue"/>.</summary>
public enum QuiltJsonKind
{
    /// <summary><c>null</c>.</summary>
    Null,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Boolean,

    /// <summary>An exact integer of any size.</summary>
    Integer,

    /// <summary>An IEEE-754 double, possibly NaN or infinite.</summary>
    Float,

    /// <summary>A string (may hold lone surrogates after parsing <c>"\ud800"</c>).</summary>
    String,

    /// <summary>An ordered list of values.</summary>
    Array,

    /// <summary>An ordered set of members with unique names.</summary>
    Object,
}
