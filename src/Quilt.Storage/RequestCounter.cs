using System.Collections.Concurrent;

namespace Quilt.Storage;

/// <summary>
/// Counts requests by operation (<c>GetObject</c>, <c>HeadObject</c>, <c>CopyObject</c>, …). Requests are what S3
/// limits and bills, so every command reports them. Thread-safe.
/// </summary>
public sealed class RequestCounter
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    /// <summary>Total requests.</summary>
    public long Total => _counts.Values.Sum();

    /// <summary>Records one request of <paramref name="operation"/>.</summary>
    public void Add(string operation) => _counts.AddOrUpdate(operation, 1, static (_, n) => n + 1);

    /// <summary>A copy of the counts, sorted by operation name.</summary>
    public IReadOnlyDictionary<string, long> Snapshot() =>
        new SortedDictionary<string, long>(_counts.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>Requests of one <paramref name="operation"/> so far (0 when none).</summary>
    public long Count(string operation) => _counts.TryGetValue(operation, out var n) ? n : 0;

    /// <summary>
    /// The requests made since <paramref name="earlier"/> (a <see cref="Snapshot"/>), by operation, without zero
    /// entries: a shared store serves many commands, and each reports only its own requests.
    /// </summary>
    public IReadOnlyDictionary<string, long> Since(IReadOnlyDictionary<string, long> earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (operation, count) in Snapshot())
        {
            var delta = count - (earlier.TryGetValue(operation, out var before) ? before : 0);
            if (delta != 0)
            {
                result[operation] = delta;
            }
        }

        return result;
    }
}
