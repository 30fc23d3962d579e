using System.Collections;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Quilt.Core.Json;

/// <summary>
/// An immutable JSON object whose members keep their order. Built like a Python dict: setting an existing
/// name replaces the value in place (first position, last value), which is what <c>json.loads</c> does with
/// duplicate keys.
/// </summary>
public sealed class QuiltJsonObject : QuiltJsonValue, IReadOnlyList<KeyValuePair<string, QuiltJsonValue>>
{
    /// <summary>The empty object.</summary>
    public static readonly QuiltJsonObject Empty = new([]);

    /// <summary>Objects up to this many members look names up by linear scan; a manifest holds hundreds of thousands of small objects.</summary>
    private const int IndexThreshold = 8;

    private readonly KeyValuePair<string, QuiltJsonValue>[] _members;
    private readonly Dictionary<string, int>? _index;

    /// <summary>
    /// Creates an object from members in order; a repeated name keeps its first position and takes the last value.
    /// </summary>
    public QuiltJsonObject(IEnumerable<KeyValuePair<string, QuiltJsonValue>> members)
        : this(members is ICollection<KeyValuePair<string, QuiltJsonValue>> c ? new List<KeyValuePair<string, QuiltJsonValue>>(c) : [.. members ?? throw new ArgumentNullException(nameof(members))], owned: true)
    {
    }

    /// <summary>Takes ownership of <paramref name="list"/> (which is changed) and removes repeated names.</summary>
    private QuiltJsonObject(List<KeyValuePair<string, QuiltJsonValue>> list, bool owned)
    {
        Debug.Assert(owned, "The list must belong to the new object.");
        if (list.Count > IndexThreshold)
        {
            _index = new Dictionary<string, int>(list.Count, StringComparer.Ordinal);
        }

        var count = 0;
        for (var i = 0; i < list.Count; i++)
        {
            var member = list[i];
            ArgumentNullException.ThrowIfNull(member.Key, "members");
            ArgumentNullException.ThrowIfNull(member.Value, "members");
            var at = _index is null ? Find(list, count, member.Key) : (_index.TryGetValue(member.Key, out var found) ? found : -1);
            if (at >= 0)
            {
                list[at] = member;
                continue;
            }

            _index?.Add(member.Key, count);
            list[count++] = member;
        }

        _members = new KeyValuePair<string, QuiltJsonValue>[count];
        list.CopyTo(0, _members, 0, count);
    }

    /// <inheritdoc />
    public override QuiltJsonKind Kind => QuiltJsonKind.Object;

    /// <summary>Creates an object from a list nobody else uses (the parser's), without copying it first.</summary>
    internal static QuiltJsonObject FromOwnedList(List<KeyValuePair<string, QuiltJsonValue>> list) => new(list, owned: true);

    /// <inheritdoc />
    public override bool IsTruthy => _members.Length > 0;

    /// <inheritdoc />
    public int Count => _members.Length;

    /// <summary>The member names in order.</summary>
    public IEnumerable<string> Names => _members.Select(m => m.Key);

    /// <inheritdoc />
    public KeyValuePair<string, QuiltJsonValue> this[int index] => _members[index];

    /// <summary>The value of member <paramref name="name"/>; throws <see cref="KeyNotFoundException"/> when absent.</summary>
    public QuiltJsonValue this[string name] =>
        IndexOf(name) is var at and >= 0 ? _members[at].Value : throw new KeyNotFoundException($"The JSON object has no member '{name}'.");

    /// <summary>Whether a member named <paramref name="name"/> exists.</summary>
    public bool ContainsName(string name) => IndexOf(name) >= 0;

    /// <summary>Looks up a member by name.</summary>
    public bool TryGetValue(string name, [NotNullWhen(true)] out QuiltJsonValue? value)
    {
        var at = IndexOf(name);
        if (at >= 0)
        {
            value = _members[at].Value;
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>Returns a copy with <paramref name="name"/> set (in place if it exists, appended otherwise).</summary>
    public QuiltJsonObject With(string name, QuiltJsonValue value) => new(_members.Append(new(name, value)));

    /// <summary>Returns a copy without <paramref name="name"/>.</summary>
    public QuiltJsonObject Without(string name) =>
        ContainsName(name) ? new(_members.Where(m => !string.Equals(m.Key, name, StringComparison.Ordinal))) : this;

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, QuiltJsonValue>> GetEnumerator() =>
        ((IEnumerable<KeyValuePair<string, QuiltJsonValue>>)_members).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _members.GetEnumerator();

    /// <inheritdoc />
    /// <remarks>Order-sensitive: two objects with the same members in another order serialize differently in a manifest.</remarks>
    public override bool Equals(QuiltJsonValue? other)
    {
        if (other is not QuiltJsonObject o || o._members.Length != _members.Length)
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

    private static int Find(List<KeyValuePair<string, QuiltJsonValue>> list, int count, string name)
    {
        for (var i = 0; i < count; i++)
        {
            if (string.Equals(list[i].Key, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private int IndexOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_index is not null)
        {
            return _index.TryGetValue(name, out var at) ? at : -1;
        }

        for (var i = 0; i < _members.Length; i++)
        {
            if (string.Equals(_members[i].Key, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
