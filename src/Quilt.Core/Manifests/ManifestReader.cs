using Quilt.Core.Errors;
using Quilt.Core.Manifests.Internal;

namespace Quilt.Core.Manifests;

/// <summary>
/// Reads manifests (JSON Lines, quilt-format §2) the way quilt3 loads them, so that a manifest quilt3 accepts is
/// accepted here and keeps its top hash: lines end at CR, LF or CRLF only; the first line is the header; lines
/// without <c>physical_keys</c> carry directory metadata; file lines need <c>size</c>, <c>hash</c> and <c>meta</c>.
/// </summary>
public static class ManifestReader
{
    /// <summary>Reads a whole manifest from UTF-8 bytes.</summary>
    /// <exception cref="QuiltException">
    /// Kind <see cref="QuiltErrorKind.Integrity"/>, naming the line, for a blank line, invalid UTF-8 or JSON, a line
    /// that is not an object, missing members, duplicate logical keys, a key used as file and directory, or no header.
    /// </exception>
    public static Manifest Read(ReadOnlySpan<byte> utf8)
    {
        var builder = new ManifestBuilder();
        LineSplitter.Split(utf8, builder);
        return builder.Build();
    }

    /// <summary>Reads a manifest from a stream (to its end, line by line; the stream is not closed).</summary>
    /// <exception cref="QuiltException">As <see cref="Read(ReadOnlySpan{byte})"/>.</exception>
    public static Manifest Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var builder = new ManifestBuilder();
        var splitter = new LineSplitter();
        while (TakeLines(splitter, builder))
        {
            splitter.Commit(stream.Read(splitter.GetFreeSpace().Span));
        }

        return builder.Build();
    }

    /// <summary>Reads a manifest from a stream asynchronously (to its end; the stream is not closed).</summary>
    /// <exception cref="QuiltException">As <see cref="Read(ReadOnlySpan{byte})"/>.</exception>
    public static async Task<Manifest> ReadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var builder = new ManifestBuilder();
        var splitter = new LineSplitter();
        while (TakeLines(splitter, builder))
        {
            splitter.Commit(await stream.ReadAsync(splitter.GetFreeSpace(), cancellationToken).ConfigureAwait(false));
        }

        return builder.Build();
    }

    /// <summary>Hands every complete line to the builder; true while the input is not finished (more bytes wanted).</summary>
    private static bool TakeLines(LineSplitter splitter, ManifestBuilder builder)
    {
        while (splitter.TryTakeLine(out var line))
        {
            builder.AddLine(line.Span);
        }

        return !splitter.Finished;
    }
}
