using Quilt.Storage;

namespace Quilt.Packaging.Internal;

/// <summary>
/// What a run created, so that a failure can remove exactly that and nothing else: copied objects (by version where
/// the bucket is versioned), a manifest this run wrote, pointers this run wrote.
/// </summary>
internal sealed class RollbackJournal
{
    private readonly List<(IObjectStore Store, ObjectLocation Location)> _created = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _created.Count;
            }
        }
    }

    public void Created(IObjectStore store, ObjectLocation location)
    {
        lock (_gate)
        {
            _created.Add((store, location));
        }
    }

    /// <summary>Deletes everything recorded, newest first (pointers before the manifest before the data); returns what could not be removed.</summary>
    public async Task<IReadOnlyList<string>> UndoAsync()
    {
        List<(IObjectStore Store, ObjectLocation Location)> created;
        lock (_gate)
        {
            created = [.. _created];
            created.Reverse();
        }

        var failures = new List<string>();
        foreach (var group in created.GroupBy(c => c.Store))
        {
            var locations = group.Select(g => g.Location).ToList();
            for (var i = 0; i < locations.Count; i += 1000)
            {
                var batch = locations.GetRange(i, Math.Min(1000, locations.Count - i));
                try
                {
                    // Rollback runs after cancellation too, so it must not observe the run's token.
                    var failed = await group.Key.DeleteAsync(batch, CancellationToken.None).ConfigureAwait(false);
                    failures.AddRange(failed.Select(f => $"{group.Key.ToPhysicalKey(f.Location)} ({f.Error})"));
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    failures.AddRange(batch.Select(l => $"{group.Key.ToPhysicalKey(l)} ({e.Message})"));
                }
            }
        }

        return failures;
    }
}
