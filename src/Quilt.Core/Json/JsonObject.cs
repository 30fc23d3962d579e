using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Quilt.Core.Json;

/// <summary>
/// An immutable JSON object whose members keep their order. Built like a Python dict: setting an existing
/// name replaces the value in place (first position, last value), which is what <c>json.loads</c> does with
/// duplicate keys.
/// </summary>
public sealed class JsonObject : JsonValue, IReadOnlyList<KeyValuePair<string, JsonValue>>
{
    /// <summary>The empty object.</summary>
    public static readonly JsonObject Empty = new([]);

    private readonly KeyValuePair<string, JsonValue>[] _members;
    private readonly Dictionary<string, int> _index;

    /// <summary>
    /// Creates an object from members in order; a repeated name keeps its first position and takes the last value.
    /// </summary>
    public JsonObject(IEnumerable<KeyValuePair<string, JsonValue>> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var list = new List<KeyValuePair<string, JsonValue>>();
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            ArgumentNullException.ThrowIfNull(member.Value);
            if (_index.TryGetValue(member.Key, out var at))
            {
                list[at] = member;
            }
            else
            {
                _index[member.Key] = list.Count;
                list.Add(member);
            }
        }

        _members = [.. list];
    }

    /// <inheritdoc />
    public override JsonValueKind Kind => JsonValueKind.Object;

    /// <inheritdoc />
    public override bool IsTruthy => _members.Length > 0;

    /// <inheritdoc />
    public int Count => _members.Length;

    /// <summary>The member names in order.</summary>
    public IEnumerable<string> Names => _members.Select(m => m.Key);

    /// <inheritdoc />
    public KeyValuePair<string, JsonValue> this[int index] => _members[index];

    /// <summary>The value of member <paramref name="name"/>; throws <see cref="KeyNotFoundException"/> when absent.</summary>
    public JsonValue this[string name] => _members[_index[name]].Value;

    /// <summary>Whether a member named <paramref name="name"/> exists.</summary>
    public bool ContainsName(string name) => _index.ContainsKey(name);

    /// <summary>Looks up a member by name.</summary>
    public bool TryGetValue(string name, [NotNullWhen(true)] out JsonValue? value)
    {
        if (_index.TryGetValue(name, out var at))
        {
            value = _members[at].Value;
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>Returns a copy with <paramref name="name"/> set (in place if it exists, appended otherwise).</summary>
    public JsonObject With(string name, JsonValue value) => new(_members.Append(new(name, value)));

    /// <summary>Returns a copy without <paramref name="name"/>.</summary>
    public JsonObject Without(string name) =>
        _index.ContainsKey(name) ? new(_members.Where(m => !string.Equals(m.Key, name, StringComparison.Ordinal))) : this;

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, JsonValue>> GetEnumerator() =>
        ((IEnumerable<KeyValuePair<string, JsonValue>>)_members).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _members.GetEnumerator();

    /// <inheritdoc />
    /// <remarks>Order-sensitive: two objects with the same members in another order serialize differently in a manifest.</remarks>
    public override bool Equals(JsonValue? other)
    {
        if (other is not JsonObject o || o._members.Length != _members.Length)
        {
            return false;
        }

        for (var i = 0; i < _members.Length; i++)
        {
            if (!string.Equals(_members[i].Key, o._members[i].Key, StringComparison.Ordinal) || !_members[i].Value.Equals(o._members[i].Value))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var member in _members)
        {
            hash.Add(member.Key, StringComparer.Ordinal);
            hash.Add(member.Value);
        }

        return hash.ToHashCode();
    }
}
