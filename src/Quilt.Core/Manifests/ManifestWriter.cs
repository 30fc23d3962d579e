using Quilt.Core.Errors;
using Quilt.Core.Json.Internal;
using Quilt.Core.Manifests.Internal;

namespace Quilt.Core.Manifests;

/// <summary>
/// Writes manifests byte for byte as quilt3 does (quilt-format §2.1, §2.5): the header, then directory lines
/// (parents before children, siblings sorted, only truthy metadata), then file lines in walk order, each line
/// followed by <c>\n</c>; Python <c>json.dumps</c> style with raw UTF-8. Identical bytes mean identical manifest
/// files, so a revision written here and one written by quilt3 are interchangeable.
/// </summary>
public static class ManifestWriter
{
    /// <summary>quilt3's default per-line limit (<c>QUILT_MANIFEST_MAX_RECORD_SIZE</c>), in UTF-8 bytes without the newline.</summary>
    public const int DefaultMaxRecordSize = 1_000_000;

    private const int FlushThreshold = 64 * 1024;

    /// <summary>Writes the manifest to a new byte array.</summary>
    /// <param name="manifest">The manifest.</param>
    /// <param name="maxRecordSize">Largest allowed line in bytes (newline excluded); S3 Select and Athena need lines to stay small.</param>
    /// <exception cref="QuiltException">
    /// Kind <see cref="QuiltErrorKind.InvalidInput"/> when a line is longer than <paramref name="maxRecordSize"/>
    /// (naming the logical key), or a value cannot be written (NaN, infinity, lone surrogate).
    /// </exception>
    public static byte[] Write(Manifest manifest, int maxRecordSize = DefaultMaxRecordSize)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        CheckLimit(maxRecordSize);

        // Two passes, measuring then writing into an array of the exact size: a growing buffer would hold up to three
        // times the manifest at once, which matters for packages of hundreds of thousands of entries.
        var buffer = new ByteBuffer(FlushThreshold + 4096);
        long length = 0;
        foreach (var _ in Lines(manifest, buffer, maxRecordSize))
        {
            if (buffer.Length >= FlushThreshold)
            {
                length += buffer.Length;
                buffer.Clear();
            }
        }

        length += buffer.Length;
        if (length > Array.MaxLength)
        {
            throw QuiltException.InvalidInput(
                $"The manifest would be {length:N0} bytes, more than one array can hold.",
                "Split the data into several packages.");
        }

        var bytes = new byte[length];
        using var stream = new MemoryStream(bytes, writable: true);
        Write(manifest, stream, maxRecordSize);
        return bytes;
    }

    /// <summary>Writes the manifest to <paramref name="stream"/> (not closed). On error the stream holds a partial manifest.</summary>
    /// <exception cref="QuiltException">As <see cref="Write(Manifest, int)"/>.</exception>
    public static void Write(Manifest manifest, Stream stream, int maxRecordSize = DefaultMaxRecordSize)
    {
        ArgumentNullException.ThrowIfNull(stream);
        foreach (var chunk in Chunks(manifest, maxRecordSize))
        {
            stream.Write(chunk.WrittenSpan);
        }
    }

    /// <summary>Writes the manifest to <paramref name="stream"/> asynchronously (not closed). On error the stream holds a partial manifest.</summary>
    /// <exception cref="QuiltException">As <see cref="Write(Manifest, int)"/>.</exception>
    public static async Task WriteAsync(Manifest manifest, Stream stream, int maxRecordSize = DefaultMaxRecordSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        foreach (var chunk in Chunks(manifest, maxRecordSize))
        {
            await stream.WriteAsync(chunk.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Appends line after line to <paramref name="buffer"/>, yielding after each so callers can flush.</summary>
    private static IEnumerable<int> Lines(Manifest manifest, ByteBuffer buffer, int maxRecordSize)
    {
        var start = buffer.Length;
        JsonEmitter.WriteManifest(buffer, manifest.Header);
        yield return EndLine(buffer, start, maxRecordSize, "the header");

        foreach (var directory in manifest.Directories)
        {
            if (!directory.Meta.IsTruthy)
            {
                continue;
            }

            start = buffer.Length;
            buffer.Append("{\"logical_key\": "u8);
            JsonEmitter.WriteManifestString(buffer, directory.LogicalKey);
            buffer.Append(", \"meta\": "u8);
            JsonEmitter.WriteManifest(buffer, directory.Meta);
            buffer.Append((byte)'}');
            yield return EndLine(buffer, start, maxRecordSize, $"directory '{directory.LogicalKey}'");
        }

        foreach (var entry in manifest.Entries)
        {
            start = buffer.Length;
            buffer.Append("{\"logical_key\": "u8);
            JsonEmitter.WriteManifestString(buffer, entry.LogicalKey);
            buffer.Append(", \"physical_keys\": ["u8);
            JsonEmitter.WriteManifestString(buffer, entry.PhysicalKey);
            buffer.Append("], \"size\": "u8);
            EntryFields.WriteSize(buffer, entry, canonical: false);

            buffer.Append(", \"hash\": "u8);
            EntryFields.WriteHash(buffer, entry, canonical: false);

            buffer.Append(", \"meta\": "u8);
            JsonEmitter.WriteManifest(buffer, entry.MetaValue);
            buffer.Append((byte)'}');
            yield return EndLine(buffer, start, maxRecordSize, $"entry '{entry.LogicalKey}'");
        }
    }

    /// <summary>The manifest's bytes in buffers of about <see cref="FlushThreshold"/>; each is reused once the caller wrote it.</summary>
    private static IEnumerable<ByteBuffer> Chunks(Manifest manifest, int maxRecordSize)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        CheckLimit(maxRecordSize);
        var buffer = new ByteBuffer(FlushThreshold + 4096);
        foreach (var _ in Lines(manifest, buffer, maxRecordSize))
        {
            if (buffer.Length >= FlushThreshold)
            {
                yield return buffer;
                buffer.Clear();
            }
        }

        yield return buffer;
    }

    private static int EndLine(ByteBuffer buffer, int start, int maxRecordSize, string what)
    {
        var size = buffer.Length - start;
        if (size > maxRecordSize)
        {
            throw QuiltException.InvalidInput(
                $"The manifest line for {what} is {size:N0} bytes, more than the limit of {maxRecordSize:N0} bytes.",
                "Make the metadata smaller (quilt3 keeps each manifest line small for S3 Select and Athena).");
        }

        buffer.Append((byte)'\n');
        return size;
    }

    private static void CheckLimit(int maxRecordSize)
    {
        if (maxRecordSize <= 0)
        {
            throw QuiltException.InvalidInput(
                $"The manifest line size limit must be positive, not {maxRecordSize}.",
                "Pass a positive number of bytes, or leave the default of 1,000,000.");
        }
    }
}
