using System.Collections;

namespace Quilt.Core.Json;

/// <summary>An immutable JSON array.</summary>
public sealed class QuiltJsonArray : QuiltJsonValue, IReadOnlyList<QuiltJsonValue>
{
    /// <summary>The empty array.</summary>
    public static readonly QuiltJsonArray Empty = new([]);

    private readonly QuiltJsonValue[] _items;

    /// <summary>Creates an array from <paramref name="items"/> (copied).</summary>
    public QuiltJsonArray(IEnumerable<QuiltJsonValue> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = [.. items];
    }

    /// <inheritdoc />
    public override QuiltJsonKind Kind => QuiltJsonKind.Array;

    /// <inheritdoc />
    public override bool IsTruthy => _items.Length > 0;

    /// <inheritdoc />
    public int Count => _items.Length;

    /// <inheritdoc />
    public QuiltJsonValue this[int index] => _items[index];

    /// <inheritdoc />
    public IEnumerator<QuiltJsonValue> GetEnumerator() => ((IEnumerable<QuiltJsonValue>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <inheritdoc />
    public override bool Equals(QuiltJsonValue? other) =>
        other is QuiltJsonArray a && a._items.AsSpan().SequenceEqual(_items);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(_items.Length);
        foreach (var item in _items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }
}
