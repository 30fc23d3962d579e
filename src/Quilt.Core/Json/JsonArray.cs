using System.Collections;

namespace Quilt.Core.Json;

/// <summary>An immutable JSON array.</summary>
public sealed class JsonArray : JsonValue, IReadOnlyList<JsonValue>
{
    /// <summary>The empty array.</summary>
    public static readonly JsonArray Empty = new([]);

    private readonly JsonValue[] _items;

    /// <summary>Creates an array from <paramref name="items"/> (copied).</summary>
    public JsonArray(IEnumerable<JsonValue> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = [.. items];
    }

    /// <inheritdoc />
    public override JsonValueKind Kind => JsonValueKind.Array;

    /// <inheritdoc />
    public override bool IsTruthy => _items.Length > 0;

    /// <inheritdoc />
    public int Count => _items.Length;

    /// <inheritdoc />
    public JsonValue this[int index] => _items[index];

    /// <inheritdoc />
    public IEnumerator<JsonValue> GetEnumerator() => ((IEnumerable<JsonValue>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <inheritdoc />
    public override bool Equals(JsonValue? other) =>
        other is JsonArray a && a._items.AsSpan().SequenceEqual(_items);

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
