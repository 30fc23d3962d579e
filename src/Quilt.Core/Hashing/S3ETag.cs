using System.Security.Cryptography;

namespace Quilt.Core.Hashing;

/// <summary>
/// The ETag S3 gives an object uploaded in quilt chunks: the MD5 of the bytes for a single-part upload, or the MD5 of
/// the concatenated part MD5s with <c>-N</c> for a multipart one (quilt-format §4.5 item 4). quilt3 compares it to
/// skip re-uploading identical objects; it is not part of the format.
/// </summary>
public sealed class S3ETag : IDisposable
{
    private readonly long _totalSize;
    private readonly long _chunkSize;
    private readonly bool _multipart;
    private readonly List<byte[]> _partDigests = [];
    private readonly IncrementalHash _current = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private long _inPart;
    private long _seen;

    /// <summary>Starts an ETag computation for an object of <paramref name="totalSize"/> bytes.</summary>
    public S3ETag(long totalSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalSize);
        _totalSize = totalSize;
        _chunkSize = ChunkLayout.ChunkSize(totalSize);
        _multipart = ChunkLayout.IsMultipart(totalSize);
    }

    /// <summary>
    /// Whether an ETag is that of an object uploaded in parts (<c>"&lt;hex&gt;-&lt;n&gt;"</c>, quotes optional): such an object's
    /// checksums describe its parts, not necessarily the whole object.
    /// </summary>
    public static bool IsMultipart(string? etag)
    {
        if (string.IsNullOrEmpty(etag))
        {
            return false;
        }

        var value = etag.AsSpan().Trim('"');
        var dash = value.LastIndexOf('-');
        if (dash <= 0 || dash == value.Length - 1)
        {
            return false;
        }

        foreach (var c in value[(dash + 1)..])
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The ETag of <paramref name="data"/>, with its quotes, as S3 reports it.</summary>
    public static string Compute(ReadOnlySpan<byte> data)
    {
        using var etag = new S3ETag(data.Length);
        etag.Append(data);
        return etag.Finish();
    }

    /// <summary>Adds the next bytes of the object.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        _seen += data.Length;
        if (_seen > _totalSize)
        {
            throw new InvalidOperationException("More bytes were appended than the size given up front.");
        }

        while (!data.IsEmpty)
        {
            var take = (int)Math.Min(data.Length, _chunkSize - _inPart);
            _current.AppendData(data[..take]);
            _inPart += take;
            data = data[take..];
            if (_inPart == _chunkSize && _multipart)
            {
                _partDigests.Add(_current.GetHashAndReset());
                _inPart = 0;
            }
        }
    }

    /// <summary>The ETag with its quotes.</summary>
    public string Finish()
    {
        if (_seen != _totalSize)
        {
            throw new InvalidOperationException($"Expected {_totalSize} bytes, got {_seen}.");
        }

        if (!_multipart)
        {
            return $"\"{Convert.ToHexStringLower(_current.GetHashAndReset())}\"";
        }

        if (_inPart > 0)
        {
            _partDigests.Add(_current.GetHashAndReset());
            _inPart = 0;
        }

#pragma warning disable CA5351 // S3 defines the ETag with MD5; it is a fingerprint here, not security.
        var combined = MD5.HashData(_partDigests.SelectMany(d => d).ToArray());
#pragma warning restore CA5351
        return $"\"{Convert.ToHexStringLower(combined)}-{_partDigests.Count}\"";
    }

    /// <inheritdoc />
    public void Dispose() => _current.Dispose();
}
