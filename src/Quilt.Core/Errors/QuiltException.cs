namespace Quilt.Core.Errors;

/// <summary>
/// The one exception type the Quilt libraries throw on purpose. <see cref="Kind"/> says who must act,
/// <see cref="IsTransient"/> drives retries, and <see cref="Hint"/> says what to do next; the CLI prints
/// message and hint, the MCP server turns them into a tool error a model can act on.
/// Messages never contain credentials.
/// </summary>
public class QuiltException : Exception
{
    /// <summary>Creates an exception; prefer the named factory methods.</summary>
    public QuiltException(QuiltErrorKind kind, string message, string? hint = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Hint = hint;
    }

    /// <summary>Creates an exception of kind <see cref="QuiltErrorKind.InvalidInput"/> with no hint.</summary>
    public QuiltException()
        : this(QuiltErrorKind.InvalidInput, "Invalid input.")
    {
    }

    /// <summary>Creates an exception of kind <see cref="QuiltErrorKind.InvalidInput"/>.</summary>
    public QuiltException(string message)
        : this(QuiltErrorKind.InvalidInput, message)
    {
    }

    /// <summary>Creates an exception of kind <see cref="QuiltErrorKind.InvalidInput"/> wrapping another.</summary>
    public QuiltException(string message, Exception innerException)
        : this(QuiltErrorKind.InvalidInput, message, null, innerException)
    {
    }

    /// <summary>Creates an exception with a typed reason and the field it is about.</summary>
    public QuiltException(QuiltErrorKind kind, QuiltErrorReason reason, QuiltInputField field, string message, string? hint = null, Exception? innerException = null)
        : this(kind, message, hint, innerException)
    {
        Reason = reason;
        Field = field;
    }

    /// <summary>Why, finer than <see cref="Kind"/>; decide on this, never on the message text.</summary>
    public QuiltErrorReason Reason { get; }

    /// <summary>The request field the error is about, for shells to name in their own terms.</summary>
    public QuiltInputField Field { get; }

    /// <summary>Who must act.</summary>
    public QuiltErrorKind Kind { get; }

    /// <summary>What to do next, in one sentence; may be null.</summary>
    public string? Hint { get; }

    /// <summary>Whether retrying the same request may succeed.</summary>
    public bool IsTransient => Kind is QuiltErrorKind.Transient or QuiltErrorKind.Throttled;

    /// <summary>The input is wrong.</summary>
    public static QuiltException InvalidInput(string message, string? hint = null) => new(QuiltErrorKind.InvalidInput, message, hint);

    /// <summary>The input is wrong, for a typed <paramref name="reason"/>, in <paramref name="field"/>.</summary>
    public static QuiltException InvalidInput(QuiltErrorReason reason, QuiltInputField field, string message, string? hint = null) =>
        new(QuiltErrorKind.InvalidInput, reason, field, message, hint);

    /// <summary>The operation was cancelled (what it left behind belongs in the message).</summary>
    public static QuiltException Cancelled(string message, Exception? inner = null) =>
        new(QuiltErrorKind.Cancelled, QuiltErrorReason.Cancelled, QuiltInputField.None, message, null, inner);

    /// <summary>The store refused the credentials in use (or found none): the caller's own configuration is in question.</summary>
    public static QuiltException CredentialsRefused(string message, string? hint = null, Exception? inner = null) =>
        new(QuiltErrorKind.AccessDenied, QuiltErrorReason.CredentialsRefused, QuiltInputField.None, message, hint, inner);

    /// <summary>The same failure with another message (e.g. what a rollback did appended); kind, hint, reason and field are kept.</summary>
    public QuiltException WithMessage(string message) => new(Kind, Reason, Field, message, Hint, this);

    /// <summary>Something named does not exist.</summary>
    public static QuiltException NotFound(string message, string? hint = null, Exception? inner = null) => new(QuiltErrorKind.NotFound, message, hint, inner);

    /// <summary>The credentials may not do this.</summary>
    public static QuiltException AccessDenied(string message, string? hint = null, Exception? inner = null) => new(QuiltErrorKind.AccessDenied, message, hint, inner);

    /// <summary>A concurrent change was detected.</summary>
    public static QuiltException Conflict(string message, string? hint = null) => new(QuiltErrorKind.Conflict, message, hint);

    /// <summary>The server throttled us.</summary>
    public static QuiltException Throttled(string message, Exception? inner = null) => new(QuiltErrorKind.Throttled, message, "Retry later or lower the concurrency.", inner);

    /// <summary>A failure that may pass on retry.</summary>
    public static QuiltException Transient(string message, Exception? inner = null) => new(QuiltErrorKind.Transient, message, "Retry the operation.", inner);

    /// <summary>Stored data is malformed or does not match its hash.</summary>
    public static QuiltException Integrity(string message, string? hint = null, Exception? inner = null) => new(QuiltErrorKind.Integrity, message, hint, inner);

    /// <summary>The server does not support the operation.</summary>
    public static QuiltException Unsupported(string message, string? hint = null, Exception? inner = null) => new(QuiltErrorKind.Unsupported, message, hint, inner);
}
