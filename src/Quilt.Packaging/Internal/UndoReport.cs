namespace Quilt.Packaging.Internal;

/// <summary>What a rollback did and what a listing afterwards showed.</summary>
/// <param name="Committed">The run's revision turned out to be <c>latest</c> (a commit whose answer was lost): nothing was undone.</param>
/// <param name="Attempted">Writes the run sent or was sending (refused ones excluded).</param>
/// <param name="Removed">Objects (or versions) this rollback deleted.</param>
/// <param name="UploadsAborted">Multipart uploads this rollback aborted.</param>
/// <param name="Leftovers">Physical keys of this run's objects that the listing afterwards still shows, and open uploads, sorted.</param>
/// <param name="Overwritten">Objects of earlier revisions the run overwrote in unversioned buckets: not restorable, kept.</param>
internal sealed record UndoReport(
    bool Committed,
    int Attempted,
    int Removed,
    int UploadsAborted,
    IReadOnlyList<string> Leftovers,
    IReadOnlyList<string> Overwritten)
{
    /// <summary>A sentence for an error message, stating only what was checked.</summary>
    /// <param name="registryUri">The registry, for the cleanup command.</param>
    /// <param name="hasJournalFile">Whether a journal file keeps what is left, so that the cleanup command can remove it.</param>
    /// <param name="shown">How many keys to name.</param>
    public string Describe(string registryUri, bool hasJournalFile, int shown = 5)
    {
        var retry = hasJournalFile ? $"run `quilt-mcp cleanup --registry {registryUri}` to retry removing them" : "remove them by hand";
        var text = Leftovers.Count > 0
            ? $" Rollback left {Leftovers.Count} object(s) or upload(s) of this run: {string.Join(", ", Leftovers.Take(shown))}{(Leftovers.Count > shown ? $" and {Leftovers.Count - shown} more" : "")}; {retry}."
            : Attempted == 0 && UploadsAborted == 0
                ? " Nothing was written."
                : $" Rolled back: removed {Removed} object(s){(UploadsAborted > 0 ? $" and aborted {UploadsAborted} multipart upload(s)" : "")} this run wrote; nothing was left behind (a listing afterwards shows none of them).";
        if (Overwritten.Count > 0)
        {
            text += $" The run overwrote {Overwritten.Count} existing object(s) in an unversioned bucket, which no rollback can restore: {string.Join(", ", Overwritten.Take(shown))}{(Overwritten.Count > shown ? $" and {Overwritten.Count - shown} more" : "")}.";
        }

        return text;
    }
}
