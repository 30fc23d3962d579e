namespace Quilt.Core.Errors;

/// <summary>What went wrong, in terms a caller can act on (retry, fix the input, ask for access, …).</summary>
public enum QuiltErrorKind
{
    /// <summary>The caller's input is wrong: fix it and try again.</summary>
    InvalidInput,

    /// <summary>A bucket, object, package or revision does not exist.</summary>
    NotFound,

    /// <summary>The credentials in use may not do this.</summary>
    AccessDenied,

    /// <summary>Someone else changed the package meanwhile (optimistic concurrency on <c>latest</c>).</summary>
    Conflict,

    /// <summary>The server asked us to slow down.</summary>
    Throttled,

    /// <summary>A failure that may go away on retry (5xx, timeouts, connection resets).</summary>
    Transient,

    /// <summary>Stored data is not what it claims to be (bad manifest, hash mismatch).</summary>
    Integrity,

    /// <summary>The server or store does not support what was asked.</summary>
    Unsupported,

    /// <summary>The operation was cancelled.</summary>
    Cancelled,
}
