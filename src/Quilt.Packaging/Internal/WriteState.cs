namespace Quilt.Packaging.Internal;

/// <summary>What is known of a journaled write's outcome.</summary>
internal enum WriteState
{
    /// <summary>Sent (or about to be), no answer yet; after a crash the same as <see cref="Uncertain"/>.</summary>
    Pending,

    /// <summary>The store confirmed the write; its version id or ETag is known.</summary>
    Landed,

    /// <summary>The store refused it (a 4xx other than a timeout): nothing was written.</summary>
    Refused,

    /// <summary>The request ended without an answer (timeout, reset, cancelled in flight): it may or may not have landed.</summary>
    Uncertain,
}
