namespace Quilt.Storage;

/// <summary>What a conditional delete did.</summary>
public enum DeleteOutcome
{
    /// <summary>The object had the expected ETag and was deleted.</summary>
    Deleted,

    /// <summary>There was no object at the key.</summary>
    Absent,

    /// <summary>The object had another ETag (someone else wrote it since) and was kept.</summary>
    Changed,
}
