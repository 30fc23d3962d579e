namespace Quilt.Core.Json.Internal;

/// <summary>
/// A parse error at a character offset. Internal: the public entry points turn it into a
/// <see cref="Errors.QuiltException"/> that names the offset in the caller's terms (characters, bytes, or line and byte).
/// </summary>
internal sealed class JsonSyntaxException : Exception
{
    /// <summary>Creates the error.</summary>
    public JsonSyntaxException(string reason, int charOffset)
        : base(reason)
    {
        Reason = reason;
        CharOffset = charOffset;
    }

    /// <summary>What is wrong, in the words Python's <c>json</c> module uses where it has them.</summary>
    public string Reason { get; }

    /// <summary>Offset (UTF-16 code units) into the parsed text.</summary>
    public int CharOffset { get; }
}
