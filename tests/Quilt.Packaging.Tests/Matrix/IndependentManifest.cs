using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Quilt.Packaging.Tests.Matrix;

/// <summary>One file line of a manifest, as read by <see cref="IndependentManifest"/> (not by Quilt.Core).</summary>
internal sealed record RawEntry(string LogicalKey, string PhysicalKey, long Size, string HashType, string HashValue);

/// <summary>An <c>s3://bucket/key?versionId=…</c> physical key taken apart by hand.</summary>
internal sealed record RawPhysicalKey(string Bucket, string Key, string? VersionId)
{
    /// <summary>Parses a physical key as quilt3 writes it: the key is percent-encoded, the version id is a query parameter.</summary>
    public static RawPhysicalKey Parse(string physicalKey)
    {
        const string scheme = "s3://";
        if (!physicalKey.StartsWith(scheme, StringComparison.Ordinal))
        {
            throw new FormatException($"'{physicalKey}' is not an s3:// URL.");
        }

        var rest = physicalKey[scheme.Length..];
        string? versionId = null;
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        if (question >= 0)
        {
            var query = rest[(question + 1)..];
            rest = rest[..question];
            foreach (var pair in query.Split('&'))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var name = eq < 0 ? pair : pair[..eq];
                if (name != "versionId")
                {
                    throw new FormatException($"'{physicalKey}' has an unexpected query parameter '{name}'.");
                }

                versionId = Uri.UnescapeDataString(eq < 0 ? "" : pair[(eq + 1)..]);
            }
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == rest.Length - 1)
        {
            throw new FormatException($"'{physicalKey}' has no bucket or no key.");
        }

        return new RawPhysicalKey(rest[..slash], Uri.UnescapeDataString(rest[(slash + 1)..]), versionId);
    }
}

/// <summary>
/// Reads manifest text with System.Text.Json and recomputes the top hash by the rule of quilt-format §3 (canonical JSON,
/// sorted keys, ASCII escapes, entries in walk order, physical keys left out) without Quilt.Core's manifest code, so that
/// a shared bug cannot make both sides agree. Floats are refused: these manifests hold none, and a float would need
/// Python's repr to hash correctly.
/// </summary>
internal sealed class IndependentManifest
{
    private IndependentManifest(JsonElement header, IReadOnlyList<JsonElement> entryLines, IReadOnlyList<RawEntry> entries)
    {
        Header = header;
        EntryLines = entryLines;
        Entries = entries;
    }

    public JsonElement Header { get; }

    public IReadOnlyList<JsonElement> EntryLines { get; }

    public IReadOnlyList<RawEntry> Entries { get; }

    public static IndependentManifest Parse(string text)
    {
        text.ShouldEndWith("\n", customMessage: "every manifest line ends with LF");
        var lines = text[..^1].Split('\n');
        var header = JsonDocument.Parse(lines[0]).RootElement.Clone();
        var entryLines = new List<JsonElement>();
        var entries = new List<RawEntry>();
        foreach (var line in lines.Skip(1))
        {
            line.ShouldNotBeEmpty("a manifest has no blank lines");
            var element = JsonDocument.Parse(line).RootElement.Clone();
            if (!element.TryGetProperty("physical_keys", out var keys) || keys.GetArrayLength() == 0)
            {
                continue; // a directory-metadata line: not a file entry, not hashed
            }

            entryLines.Add(element);
            var hash = element.GetProperty("hash");
            entries.Add(new RawEntry(
                element.GetProperty("logical_key").GetString()!,
                keys[0].GetString()!,
                element.GetProperty("size").GetInt64(),
                hash.GetProperty("type").GetString()!,
                hash.GetProperty("value").GetString()!));
        }

        return new IndependentManifest(header, entryLines, entries);
    }

    /// <summary>SHA-256 over canonical(header) followed by canonical({hash, logical_key, meta, size}) per entry in walk order.</summary>
    public string ComputeTopHash()
    {
        var text = new StringBuilder();
        var header = new SortedDictionary<string, JsonElement>(CodePointComparer.Instance);
        foreach (var member in Header.EnumerateObject())
        {
            if (member.Name != "top_hash")
            {
                header[member.Name] = member.Value;
            }
        }

        WriteObject(text, header);
        foreach (var line in EntryLines.OrderBy(l => l.GetProperty("logical_key").GetString()!, WalkOrderComparer.Instance))
        {
            var meta = line.GetProperty("meta");
            var entry = new SortedDictionary<string, JsonElement>(CodePointComparer.Instance)
            {
                ["hash"] = line.GetProperty("hash"),
                ["logical_key"] = line.GetProperty("logical_key"),
                ["meta"] = IsFalsy(meta) ? JsonDocument.Parse("{}").RootElement : meta,
                ["size"] = line.GetProperty("size"),
            };
            WriteObject(text, entry);
        }

        // Every canonical serialization is ASCII, so the byte string is unambiguous.
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(text.ToString())));
    }

    private static bool IsFalsy(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.False or JsonValueKind.Undefined => true,
        JsonValueKind.Object => !value.EnumerateObject().Any(),
        JsonValueKind.Array => value.GetArrayLength() == 0,
        JsonValueKind.String => value.GetString()!.Length == 0,
        JsonValueKind.Number => value.GetRawText() is "0",
        _ => false,
    };

    private static void WriteObject(StringBuilder text, SortedDictionary<string, JsonElement> members)
    {
        text.Append('{');
        var first = true;
        foreach (var (name, value) in members)
        {
            if (!first)
            {
                text.Append(',');
            }

            first = false;
            WriteString(text, name);
            text.Append(':');
            WriteValue(text, value);
        }

        text.Append('}');
    }

    private static void WriteValue(StringBuilder text, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var members = new SortedDictionary<string, JsonElement>(CodePointComparer.Instance);
                foreach (var member in value.EnumerateObject())
                {
                    members[member.Name] = member.Value; // the last duplicate wins, as in a Python dict
                }

                WriteObject(text, members);
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (index++ > 0)
                    {
                        text.Append(',');
                    }

                    WriteValue(text, item);
                }

                text.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(text, value.GetString()!);
                break;
            case JsonValueKind.Number:
                var raw = value.GetRawText();
                if (raw.AsSpan().IndexOfAny(".eE") >= 0)
                {
                    throw new NotSupportedException($"Float {raw} in a matrix manifest: the independent top hash does not implement Python's float repr.");
                }

                text.Append(System.Numerics.BigInteger.Parse(raw, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            default:
                text.Append("null");
                break;
        }
    }

    private static void WriteString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                case '\b':
                    text.Append("\\b");
                    break;
                case '\f':
                    text.Append("\\f");
                    break;
                case >= ' ' and <= '~':
                    text.Append(c);
                    break;
                default:
                    // UTF-16 code units, so characters above U+FFFF come out as a surrogate pair, as Python writes them.
                    text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
            }
        }

        text.Append('"');
    }

    /// <summary>Orders strings by Unicode code point (Python's str order), not by UTF-16 code unit.</summary>
    private sealed class CodePointComparer : IComparer<string>
    {
        public static readonly CodePointComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            var a = x!.EnumerateRunes().GetEnumerator();
            var b = y!.EnumerateRunes().GetEnumerator();
            while (true)
            {
                var hasA = a.MoveNext();
                var hasB = b.MoveNext();
                if (!hasA || !hasB)
                {
                    return hasA.CompareTo(hasB);
                }

                var order = a.Current.Value.CompareTo(b.Current.Value);
                if (order != 0)
                {
                    return order;
                }
            }
        }
    }

    /// <summary>quilt3's walk order: logical keys compared component by component (split on '/'), each by code point.</summary>
    private sealed class WalkOrderComparer : IComparer<string>
    {
        public static readonly WalkOrderComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            var a = x!.Split('/');
            var b = y!.Split('/');
            for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
            {
                var order = CodePointComparer.Instance.Compare(a[i], b[i]);
                if (order != 0)
                {
                    return order;
                }
            }

            return a.Length.CompareTo(b.Length);
        }
    }
}
