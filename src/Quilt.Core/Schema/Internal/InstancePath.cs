using System.Globalization;
using System.Text;

namespace Quilt.Core.Schema.Internal;

/// <summary>
/// The location of a value being validated, as an immutable chain built while descending; the JSON pointer
/// text is only made when an error needs it. <c>null</c> stands for the root.
/// </summary>
internal sealed class InstancePath
{
    private readonly InstancePath? _parent;
    private readonly string _segment;

    private InstancePath(InstancePath? parent, string segment)
    {
        _parent = parent;
        _segment = segment;
    }

    public static InstancePath Child(InstancePath? parent, string name) => new(parent, name);

    public static InstancePath Child(InstancePath? parent, int index) => new(parent, index.ToString(CultureInfo.InvariantCulture));

    public static string ToPointer(InstancePath? path)
    {
        if (path is null)
        {
            return string.Empty;
        }

        var segments = new List<string>();
        for (var p = path; p is not null; p = p._parent)
        {
            segments.Add(p._segment);
        }

        var builder = new StringBuilder();
        for (var i = segments.Count - 1; i >= 0; i--)
        {
            builder.Append('/').Append(Escape(segments[i]));
        }

        return builder.ToString();
    }

    /// <summary>Escapes one JSON pointer segment (RFC 6901: <c>~</c> → <c>~0</c>, <c>/</c> → <c>~1</c>).</summary>
    public static string Escape(string segment) =>
        segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
