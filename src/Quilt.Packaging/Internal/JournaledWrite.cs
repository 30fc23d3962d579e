using Quilt.Storage;

namespace Quilt.Packaging.Internal;

/// <summary>One write a run intends, recorded before it is sent, with what became of it.</summary>
internal sealed class JournaledWrite
{
    public JournaledWrite(int id, WriteKind kind, ObjectLocation target, DateTimeOffset intended)
    {
        Id = id;
        Kind = kind;
        Target = target;
        Intended = intended;
    }

    /// <summary>The journal's sequence number of the write.</summary>
    public int Id { get; }

    public WriteKind Kind { get; }

    /// <summary>Bucket and key written (no version).</summary>
    public ObjectLocation Target { get; }

    /// <summary>When the write was journaled, before it was sent: an object of this run cannot be older.</summary>
    public DateTimeOffset Intended { get; }

    public WriteState State { get; set; } = WriteState.Pending;

    /// <summary>The version id the write created, when the bucket keeps versions.</summary>
    public string? VersionId { get; set; }

    /// <summary>The ETag the write created.</summary>
    public string? ETag { get; set; }
}
