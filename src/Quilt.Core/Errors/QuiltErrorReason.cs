namespace Quilt.Core.Errors;

/// <summary>
/// Why an operation failed, finer than <see cref="QuiltErrorKind"/>, for callers that must decide (rephrase advice,
/// map to their own parameter names) without reading message text.
/// </summary>
public enum QuiltErrorReason
{
    /// <summary>No finer reason than the kind.</summary>
    Unspecified,

    /// <summary>The store refused (or found no) credentials for the request: the caller's own AWS configuration is in question.</summary>
    CredentialsRefused,

    /// <summary>A local file or folder was given where only S3 locations are served (catalog mode).</summary>
    LocalLocationRefused,

    /// <summary>A package was to be made from an explicit list of objects, and the list is empty.</summary>
    FilesRequired,

    /// <summary>One object was listed twice.</summary>
    DuplicateFile,

    /// <summary>Several objects would share one logical key.</summary>
    LogicalKeyCollision,

    /// <summary>A number is outside the range the operation allows.</summary>
    OutOfRange,

    /// <summary>The requested copy cannot be made between these stores or into this registry.</summary>
    CopyNotPossible,

    /// <summary>The operation was cancelled.</summary>
    Cancelled,
}
