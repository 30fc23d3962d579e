using Quilt.Core.Errors;
using Quilt.Core.Json;
using Quilt.Core.Json.Internal;

namespace Quilt.Core.Manifests.Internal;

/// <summary>
/// Turns manifest lines into a <see cref="Manifest"/> the way quilt3's <c>Package._load</c> does: first line is
/// the header, lines with a falsy <c>physical_keys</c> are directory metadata, the rest are file entries.
/// </summary>
internal sealed class ManifestBuilder
{
    private const string Hint = "The manifest is corrupt or was not written by quilt3; fix or regenerate it.";

    private readonly List<ManifestEntry> _entries = [];
    private readonly HashSet<string> _fileKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DirectoryEntry> _directories = new(StringComparer.Ordinal);
    private QuiltJsonObject? _header;
    private int _lineNumber;

    /// <summary>Adds the next line (without its line terminator).</summary>
    public void AddLine(ReadOnlySpan<byte> line)
    {
        _lineNumber++;
        if (line.TrimStart(" \t"u8).IsEmpty)
        {
            throw Fail($"Manifest line {_lineNumber} is blank.");
        }

        var text = JsonText.DecodeUtf8(line, out var invalidAt) ??
            throw Fail($"Manifest line {_lineNumber} is not valid UTF-8 (byte {invalidAt + 1} of the line).");

        QuiltJsonValue value;
        try
        {
            value = JsonParser.Parse(text);
        }
        catch (JsonSyntaxException e)
        {
            throw Fail($"Manifest line {_lineNumber} is not valid JSON: {e.Reason} (byte {JsonText.ByteOffset(text, e.CharOffset) + 1} of the line).");
        }

        if (value is not QuiltJsonObject record)
        {
            throw Fail($"Manifest line {_lineNumber} is {Describe(value)}, not a JSON object.");
        }

        if (_header is null)
        {
            _header = record;
            return;
        }

        AddRecord(record);
    }

    /// <summary>Finishes reading.</summary>
    public Manifest Build()
    {
        if (_header is null)
        {
            throw Fail("The manifest is empty: it has no header line.");
        }

        if (KeyConflicts.Find(_fileKeys, _directories.Keys) is var (file, other))
        {
            throw Fail($"Manifest uses '{file}' both as a file and as a directory (in '{other}').");
        }

        return new Manifest(_header, [.. _entries], [.. _directories.Values]);
    }

    private static string Describe(QuiltJsonValue value) => value.Kind switch
    {
        QuiltJsonKind.Null => "null",
        QuiltJsonKind.Array => "an array",
        QuiltJsonKind.String => "a string",
        QuiltJsonKind.Boolean => "a boolean",
        _ => "a number",
    };

    private static QuiltException Fail(string message) => QuiltException.Integrity(message, Hint);

    private void AddRecord(QuiltJsonObject record)
    {
        if (!record.TryGetValue("logical_key", out var keyValue) || keyValue is not QuiltJsonString { Value: var key })
        {
            throw Fail($"Manifest line {_lineNumber} has no string 'logical_key'.");
        }

        if (!record.TryGetValue("physical_keys", out var physicalKeys) || !physicalKeys.IsTruthy)
        {
            AddDirectory(record, key);
            return;
        }

        if (physicalKeys is not QuiltJsonArray { Count: > 0 } array || array[0] is not QuiltJsonString { Value: var physicalKey })
        {
            throw Fail($"Manifest line {_lineNumber} ('{key}'): 'physical_keys' is not a list of URL strings.");
        }

        if (!record.TryGetValue("size", out var size) || !record.TryGetValue("hash", out var hash) ||
            !record.TryGetValue("meta", out var meta))
        {
            throw Fail($"Manifest line {_lineNumber} ('{key}') lacks one of the members 'size', 'hash', 'meta'.");
        }

        if (!_fileKeys.Add(key))
        {
            throw Fail($"Duplicate logical key '{key}' (manifest line {_lineNumber}).");
        }

        _entries.Add(new ManifestEntry(key, physicalKey, size, hash, meta));
    }

    private void AddDirectory(QuiltJsonObject record, string key)
    {
        if (!record.TryGetValue("meta", out var meta))
        {
            throw Fail($"Manifest line {_lineNumber} ('{key}') is a directory line without 'meta'.");
        }

        // quilt3 drops the last '/'-component and gives the metadata to the directory that remains;
        // without any '/' that is the package root, whose metadata is the header's user_meta.
        var cut = key.LastIndexOf('/');
        if (cut < 0)
        {
            _header = _header!.With("user_meta", meta);
            return;
        }

        var directoryKey = key[..(cut + 1)];
        _directories[directoryKey] = new DirectoryEntry(directoryKey, meta);
    }
}
