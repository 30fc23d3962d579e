namespace Quilt.Core.Manifests.Internal;

/// <summary>
/// Splits a byte stream into lines at CR, LF or CRLF (Python's universal newlines) and nowhere else: U+2028,
/// U+2029 and U+0085 are multi-byte in UTF-8 and never contain 0x0A or 0x0D, so JSON strings holding them stay whole.
/// Feed it with <see cref="GetFreeSpace"/>/<see cref="Commit"/>, take lines with <see cref="TryTakeLine"/>.
/// </summary>
internal sealed class LineSplitter
{
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private int _scanned;
    private bool _ended;

    /// <summary>Whether the input has ended and every line was taken.</summary>
    public bool Finished => _ended && _start == _end;

    /// <summary>Splits a complete input and hands each line to <paramref name="builder"/>.</summary>
    public static void Split(ReadOnlySpan<byte> data, ManifestBuilder builder)
    {
        while (!data.IsEmpty)
        {
            var at = data.IndexOfAny((byte)'\r', (byte)'\n');
            if (at < 0)
            {
                builder.AddLine(data);
                return;
            }

            builder.AddLine(data[..at]);
            var terminator = data[at] == '\r' && at + 1 < data.Length && data[at + 1] == '\n' ? 2 : 1;
            data = data[(at + terminator)..];
        }
    }

    /// <summary>Returns the next complete line, or false when more input is needed (or all input is consumed).</summary>
    public bool TryTakeLine(out ReadOnlyMemory<byte> line)
    {
        var pending = _buffer.AsSpan(_start, _end - _start);
        var found = pending[_scanned..].IndexOfAny((byte)'\r', (byte)'\n');
        if (found >= 0)
        {
            var at = _scanned + found;
            if (pending[at] == '\r' && at + 1 == pending.Length && !_ended)
            {
                // A CR at the end of the data read so far may be the first half of CRLF.
                _scanned = at;
                line = default;
                return false;
            }

            line = _buffer.AsMemory(_start, at);
            var terminator = pending[at] == '\r' && at + 1 < pending.Length && pending[at + 1] == '\n' ? 2 : 1;
            _start += at + terminator;
            _scanned = 0;
            return true;
        }

        if (_ended && !pending.IsEmpty)
        {
            line = _buffer.AsMemory(_start, pending.Length);
            _start = _end;
            _scanned = 0;
            return true;
        }

        _scanned = pending.Length;
        line = default;
        return false;
    }

    /// <summary>Space to read more input into (compacts and grows the buffer as needed).</summary>
    public Memory<byte> GetFreeSpace()
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        return _buffer.AsMemory(_end);
    }

    /// <summary>Records that <paramref name="count"/> bytes were read into the free space; 0 means end of input.</summary>
    public void Commit(int count)
    {
        if (count == 0)
        {
            _ended = true;
        }

        _end += count;
    }
}
