namespace Quilt.Core.Json.Internal;

/// <summary>
/// A growable byte buffer that the JSON writers append to. Reused across lines and entries so that writing
/// or hashing a large manifest does not allocate one string per value.
/// </summary>
internal sealed class ByteBuffer
{
    private byte[] _buffer;
    private int _length;

    /// <summary>Creates a buffer with an initial capacity.</summary>
    public ByteBuffer(int capacity = 256) => _buffer = new byte[Math.Max(16, capacity)];

    /// <summary>Number of bytes written.</summary>
    public int Length => _length;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    /// <summary>The bytes written so far, as memory (for asynchronous stream writes).</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    /// <summary>Forgets the content, keeps the capacity.</summary>
    public void Clear() => _length = 0;

    /// <summary>Appends one byte.</summary>
    public void Append(byte value)
    {
        if (_length == _buffer.Length)
        {
            Grow(1);
        }

        _buffer[_length++] = value;
    }

    /// <summary>Appends bytes.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _length += bytes.Length;
    }

    /// <summary>Appends a string known to be ASCII (literals, formatted numbers).</summary>
    public void AppendAscii(string ascii)
    {
        var span = GetSpan(ascii.Length);
        for (var i = 0; i < ascii.Length; i++)
        {
            span[i] = (byte)ascii[i];
        }

        _length += ascii.Length;
    }

    /// <summary>Returns writable space of at least <paramref name="sizeHint"/> bytes; call <see cref="Advance"/> after writing.</summary>
    public Span<byte> GetSpan(int sizeHint)
    {
        if (_buffer.Length - _length < sizeHint)
        {
            Grow(sizeHint);
        }

        return _buffer.AsSpan(_length);
    }

    /// <summary>Marks <paramref name="count"/> bytes of the span from <see cref="GetSpan"/> as written.</summary>
    public void Advance(int count) => _length += count;

    /// <summary>Copies the content out.</summary>
    public byte[] ToArray() => WrittenSpan.ToArray();

    private void Grow(int needed)
    {
        var size = Math.Max(_buffer.Length * 2, _length + needed);
        Array.Resize(ref _buffer, size);
    }
}
