using System.Globalization;
using Quilt.Core.Errors;
using Quilt.Core.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Quilt.Packaging.Workflows.Internal;

/// <summary>
/// Builds a <see cref="QuiltJsonValue"/> from YamlDotNet's parser events with PyYAML <c>safe_load</c> semantics.
/// YamlDotNet's representation model is not used because it rejects duplicate keys and merge keys that are
/// overridden (<c>&lt;&lt;: *base</c> then <c>key: other</c>), both of which PyYAML accepts (last key wins,
/// explicit keys beat merged ones).
/// </summary>
internal sealed class YamlComposer
{
    private const int MaxDepth = 512;

    private readonly IParser _parser;
    private readonly Dictionary<string, QuiltJsonValue> _anchors = new(StringComparer.Ordinal);
    private readonly HashSet<string> _composing = new(StringComparer.Ordinal);

    private YamlComposer(IParser parser) => _parser = parser;

    public static QuiltJsonValue Compose(string text)
    {
        var composer = new YamlComposer(new Parser(new StringReader(text)));
        return composer.ComposeStream();
    }

    private QuiltJsonValue ComposeStream()
    {
        _parser.Consume<StreamStart>();
        if (_parser.TryConsume<StreamEnd>(out _))
        {
            return QuiltJsonNull.Instance; // empty stream or comments only
        }

        _parser.Consume<DocumentStart>();
        var root = ComposeNode(0);
        _parser.Consume<DocumentEnd>();
        if (_parser.Accept<DocumentStart>(out var second))
        {
            throw Error(second, "expected a single document in the stream, but found another document");
        }

        _parser.Consume<StreamEnd>();
        return root;
    }

    private QuiltJsonValue ComposeNode(int depth)
    {
        if (depth > MaxDepth)
        {
            throw Error(_parser.Current!, $"the document nests deeper than {MaxDepth} levels");
        }

        if (_parser.TryConsume<AnchorAlias>(out var alias))
        {
            var name = alias.Value.Value;
            if (_composing.Contains(name))
            {
                throw Error(alias, $"the alias *{name} refers to a node that contains it (recursive structures cannot be JSON)");
            }

            return _anchors.TryGetValue(name, out var target) ? target : throw Error(alias, $"found undefined alias *{name}");
        }

        var start = (NodeEvent)_parser.Current!;
        var anchor = start.Anchor.IsEmpty ? null : start.Anchor.Value;
        if (anchor is not null)
        {
            _composing.Add(anchor);
        }

        QuiltJsonValue value = start switch
        {
            Scalar scalar => ComposeScalar(scalar),
            SequenceStart sequence => ComposeSequence(sequence, depth),
            MappingStart mapping => ComposeMapping(mapping, depth),
            _ => throw Error(start, "unexpected YAML event " + start.GetType().Name),
        };

        if (anchor is not null)
        {
            _composing.Remove(anchor);
            _anchors[anchor] = value; // a later anchor of the same name replaces the earlier one, as in PyYAML
        }

        return value;
    }

    private QuiltJsonValue ComposeScalar(Scalar scalar)
    {
        _parser.MoveNext();
        if (scalar.Tag.IsEmpty)
        {
            return scalar.Style == ScalarStyle.Plain ? YamlScalars.ResolvePlain(scalar.Value) : new QuiltJsonString(scalar.Value);
        }

        if (scalar.Tag.IsNonSpecific)
        {
            return new QuiltJsonString(scalar.Value); // "! value": a string
        }

        try
        {
            return YamlScalars.ResolveTagged(scalar.Tag.Value, scalar.Value)
                ?? throw Error(scalar, $"could not determine a constructor for the tag '{scalar.Tag.Value}'");
        }
        catch (FormatException e)
        {
            throw Error(scalar, $"cannot construct '{scalar.Tag.Value}' from '{scalar.Value}': {e.Message}");
        }
    }

    private QuiltJsonArray ComposeSequence(SequenceStart start, int depth)
    {
        CheckCollectionTag(start, start.Tag, "seq");
        _parser.MoveNext();
        var items = new List<QuiltJsonValue>();
        while (!_parser.TryConsume<SequenceEnd>(out _))
        {
            items.Add(ComposeNode(depth + 1));
        }

        return new QuiltJsonArray(items);
    }

    private QuiltJsonObject ComposeMapping(MappingStart start, int depth)
    {
        CheckCollectionTag(start, start.Tag, "map");
        _parser.MoveNext();
        var merged = new List<KeyValuePair<string, QuiltJsonValue>>();
        var members = new List<KeyValuePair<string, QuiltJsonValue>>();
        while (!_parser.TryConsume<MappingEnd>(out _))
        {
            var keyEvent = _parser.Current!;
            if (keyEvent is Scalar { Value: "<<", Style: ScalarStyle.Plain } mergeKey
                && (mergeKey.Tag.IsEmpty || mergeKey.Tag.Value == YamlScalars.TagPrefix + "merge"))
            {
                _parser.MoveNext();
                var valueEvent = _parser.Current!;
                merged.AddRange(MergeSources(ComposeNode(depth + 1), valueEvent));
                continue;
            }

            var key = ComposeNode(depth + 1);
            var value = ComposeNode(depth + 1);
            members.Add(new(KeyText(key, keyEvent), value));
        }

        // PyYAML puts merged pairs first, then the explicit ones; the dict keeps the last value of each key.
        return new QuiltJsonObject(merged.Concat(members));
    }

    /// <summary>
    /// The pairs a merge key contributes: one mapping, or a sequence of mappings where earlier ones win
    /// (PyYAML reverses the list before extending).
    /// </summary>
    private static IEnumerable<KeyValuePair<string, QuiltJsonValue>> MergeSources(QuiltJsonValue source, ParsingEvent at)
    {
        switch (source)
        {
            case QuiltJsonObject obj:
                return obj;
            case QuiltJsonArray array when array.All(v => v is QuiltJsonObject):
                return array.Reverse().SelectMany(v => (QuiltJsonObject)v);
            default:
                throw Error(at, "expected a mapping or list of mappings for merging");
        }
    }

    /// <summary>Non-string keys become the text <c>json.dumps</c> would write for them; collections cannot be keys.</summary>
    private static string KeyText(QuiltJsonValue key, ParsingEvent at) => key switch
    {
        QuiltJsonString s => s.Value,
        QuiltJsonInteger i => i.Value.ToString(CultureInfo.InvariantCulture),
        QuiltJsonBool b => b.Value ? "true" : "false",
        QuiltJsonNull => "null",
        QuiltJsonFloat f => double.IsNaN(f.Value) ? "NaN" : double.IsInfinity(f.Value) ? (f.Value > 0 ? "Infinity" : "-Infinity") : f.Value.ToString("R", CultureInfo.InvariantCulture),
        _ => throw Error(at, "found unhashable key (a mapping key must be a scalar)"),
    };

    private static void CheckCollectionTag(ParsingEvent at, TagName tag, string kind)
    {
        if (!tag.IsEmpty && !tag.IsNonSpecific && tag.Value != YamlScalars.TagPrefix + kind)
        {
            throw Error(at, $"could not determine a constructor for the tag '{tag.Value}'");
        }
    }

    private static QuiltException Error(ParsingEvent at, string what) => YamlErrors.Create(at.Start, what);
}
