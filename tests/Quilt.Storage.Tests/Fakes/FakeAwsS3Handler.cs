#pragma warning disable CA5351 // S3 ETags are MD5 digests; the fake computes them as S3 does, not for security.
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security;
using System.Text;

namespace Quilt.Storage.Tests.Fakes;

/// <summary>
/// An in-process S3 that answers the requests of ladder steps (b), (c) and (d) the way AWS documents them, for what
/// moto 5.2.1 cannot show: part checksums from UploadPartCopy (x-amz-checksum-sha256 in CopyPartResult), honouring
/// x-amz-copy-source-if-match, a composite checksum on CompleteMultipartUpload, composite checksums on HEAD, and
/// GetObjectAttributes with ObjectParts. Objects are seeded directly; requests carrying bodies (PutObject) are not
/// served. Switches turn each capability off to show the store's fallbacks.
/// </summary>
internal sealed class FakeAwsS3Handler : HttpMessageHandler
{
    private readonly ConcurrentDictionary<(string Bucket, string Key), FakeObject> _objects = new();
    private readonly ConcurrentDictionary<string, Upload> _uploads = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Operation, HttpRequestMessage Request)> _log = new();
    private int _uploadCounter;

    public bool ReturnPartChecksums { get; set; } = true;

    public bool SupportsObjectAttributes { get; set; } = true;

    public bool ReturnCompleteChecksum { get; set; } = true;

    /// <summary>Called after each HEAD (to change the object under the store's feet).</summary>
    public Action<(string Bucket, string Key)>? AfterHead { get; set; }

    public IReadOnlyList<string> Operations => [.. _log.Select(l => l.Operation)];

    public IReadOnlyList<HttpRequestMessage> Requests(string operation) => [.. _log.Where(l => l.Operation == operation).Select(l => l.Request)];

    public int OpenUploads => _uploads.Count;

    /// <summary>Seeds an object; <paramref name="partSizes"/> makes it a multipart object with a composite SHA-256.</summary>
    public void Seed(string bucket, string key, byte[] data, IReadOnlyList<long>? partSizes = null, bool withChecksum = true, string contentType = "application/octet-stream", IReadOnlyDictionary<string, string>? metadata = null)
    {
        string? checksum = null;
        string? type = null;
        string etag;
        if (partSizes is null)
        {
            checksum = withChecksum ? Convert.ToBase64String(SHA256.HashData(data)) : null;
            type = withChecksum ? "FULL_OBJECT" : null;
            etag = "\"" + Convert.ToHexStringLower(MD5.HashData(data)) + "\"";
        }
        else
        {
            var digests = new List<byte[]>();
            var md5s = new List<byte[]>();
            long offset = 0;
            foreach (var size in partSizes)
            {
                var part = data.AsSpan((int)offset, (int)size);
                digests.Add(SHA256.HashData(part));
                md5s.Add(MD5.HashData(part));
                offset += size;
            }

            checksum = withChecksum ? Convert.ToBase64String(SHA256.HashData(digests.SelectMany(d => d).ToArray())) + "-" + partSizes.Count : null;
            type = withChecksum ? "COMPOSITE" : null;
            etag = "\"" + Convert.ToHexStringLower(MD5.HashData(md5s.SelectMany(d => d).ToArray())) + "-" + partSizes.Count + "\"";
        }

        _objects[(bucket, key)] = new FakeObject(data, etag, checksum, type, partSizes, contentType, metadata ?? new Dictionary<string, string>());
    }

    public byte[]? Content(string bucket, string key) => _objects.TryGetValue((bucket, key), out var o) ? o.Data : null;

    public FakeObject? Object(string bucket, string key) => _objects.TryGetValue((bucket, key), out var o) ? o : null;

    /// <summary>Replaces the object's bytes (new ETag), as a concurrent writer would.</summary>
    public void Overwrite(string bucket, string key, byte[] data) => Seed(bucket, key, data);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var operation = S3Wire.Operation(request);
        _log.Enqueue((operation, request));
        var (bucket, key) = S3Wire.Target(request.RequestUri!);
        var query = S3Wire.Query(request.RequestUri!);
        var response = operation switch
        {
            "HeadObject" => Head(bucket, key, request),
            "GetObject" => Get(bucket, key, request),
            "GetObjectAttributes" => Attributes(bucket, key),
            "CreateMultipartUpload" => Create(bucket, key, request),
            "UploadPartCopy" => CopyPart(query, request),
            "CompleteMultipartUpload" => await CompleteAsync(bucket, key, query, request, cancellationToken),
            "AbortMultipartUpload" => Abort(query),
            _ => Error(HttpStatusCode.NotImplemented, "NotImplemented", $"The fake does not serve {operation}."),
        };
        response.RequestMessage = request;
        if (operation == "HeadObject")
        {
            AfterHead?.Invoke((bucket, key));
        }

        return response;
    }

    private HttpResponseMessage Head(string bucket, string key, HttpRequestMessage request)
    {
        if (!_objects.TryGetValue((bucket, key), out var o))
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new ByteArrayContent([]) };
        }

        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
        Describe(response, o, request, o.Data.LongLength);
        return response;
    }

    private HttpResponseMessage Get(string bucket, string key, HttpRequestMessage request)
    {
        if (!_objects.TryGetValue((bucket, key), out var o))
        {
            return Error(HttpStatusCode.NotFound, "NoSuchKey", "The specified key does not exist.");
        }

        if (request.Headers.IfMatch.Count > 0 && !request.Headers.IfMatch.Any(t => t.Tag == o.ETag))
        {
            return Error(HttpStatusCode.PreconditionFailed, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
        }

        var data = o.Data;
        var status = HttpStatusCode.OK;
        if (request.Headers.Range?.Ranges.FirstOrDefault() is { } range)
        {
            var from = range.From ?? 0;
            var to = Math.Min(range.To ?? (data.Length - 1), data.Length - 1);
            data = data[(int)from..((int)to + 1)];
            status = HttpStatusCode.PartialContent;
        }

        var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(data) };
        Describe(response, o, request, data.LongLength, includeChecksum: status == HttpStatusCode.OK);
        return response;
    }

    private static void Describe(HttpResponseMessage response, FakeObject o, HttpRequestMessage request, long length, bool includeChecksum = true)
    {
        response.Content.Headers.ContentLength = length;
        response.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(o.ContentType);
        response.Content.Headers.LastModified = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
        response.Headers.ETag = System.Net.Http.Headers.EntityTagHeaderValue.Parse(o.ETag);
        response.Headers.Add("Accept-Ranges", "bytes");
        foreach (var (name, value) in o.Metadata)
        {
            response.Headers.Add("x-amz-meta-" + name, value);
        }

        var checksumMode = request.Headers.TryGetValues("x-amz-checksum-mode", out var mode) && mode.Contains("ENABLED");
        if (includeChecksum && checksumMode && o.Checksum is not null)
        {
            response.Headers.Add("x-amz-checksum-sha256", o.Checksum);
            response.Headers.Add("x-amz-checksum-type", o.ChecksumType);
        }
    }

    private HttpResponseMessage Attributes(string bucket, string key)
    {
        if (!SupportsObjectAttributes)
        {
            return Error(HttpStatusCode.NotImplemented, "NotImplemented", "A header you provided implies functionality that is not implemented.");
        }

        if (!_objects.TryGetValue((bucket, key), out var o))
        {
            return Error(HttpStatusCode.NotFound, "NoSuchKey", "The specified key does not exist.");
        }

        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><GetObjectAttributesResponse xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
        xml.Append("<ETag>").Append(o.ETag.Trim('"')).Append("</ETag>");
        if (o.PartSizes is { } sizes)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<ObjectParts><TotalPartsCount>{sizes.Count}</TotalPartsCount><PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>{sizes.Count}</NextPartNumberMarker><MaxParts>10000</MaxParts><IsTruncated>false</IsTruncated>");
            for (var i = 0; i < sizes.Count; i++)
            {
                xml.Append(CultureInfo.InvariantCulture, $"<Part><PartNumber>{i + 1}</PartNumber><Size>{sizes[i]}</Size></Part>");
            }

            xml.Append("</ObjectParts>");
        }

        xml.Append(CultureInfo.InvariantCulture, $"<ObjectSize>{o.Data.Length}</ObjectSize></GetObjectAttributesResponse>");
        return Xml(xml.ToString());
    }

    private HttpResponseMessage Create(string bucket, string key, HttpRequestMessage request)
    {
        if (bucket == "no-such-scratch")
        {
            return Error(HttpStatusCode.NotFound, "NoSuchBucket", "The specified bucket does not exist");
        }

        var id = "upload-" + Interlocked.Increment(ref _uploadCounter).ToString(CultureInfo.InvariantCulture);
        var metadata = request.Headers.Where(h => h.Key.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key["x-amz-meta-".Length..].ToLowerInvariant(), h => string.Join(",", h.Value), StringComparer.Ordinal);
        var contentType = request.Content?.Headers.ContentType?.ToString() ?? "binary/octet-stream";
        _uploads[id] = new Upload(bucket, key, contentType, metadata);
        return Xml($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><InitiateMultipartUploadResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Bucket>{bucket}</Bucket><Key>{SecurityElement.Escape(key)}</Key><UploadId>{id}</UploadId></InitiateMultipartUploadResult>");
    }

    private HttpResponseMessage CopyPart(Dictionary<string, string> query, HttpRequestMessage request)
    {
        if (!_uploads.TryGetValue(query["uploadId"], out var upload))
        {
            return Error(HttpStatusCode.NotFound, "NoSuchUpload", "The specified upload does not exist.");
        }

        var source = Uri.UnescapeDataString(request.Headers.GetValues("x-amz-copy-source").Single().Split('?')[0]).TrimStart('/');
        var slash = source.IndexOf('/', StringComparison.Ordinal);
        if (!_objects.TryGetValue((source[..slash], source[(slash + 1)..]), out var o))
        {
            return Error(HttpStatusCode.NotFound, "NoSuchKey", "The specified key does not exist.");
        }

        if (request.Headers.TryGetValues("x-amz-copy-source-if-match", out var match) && match.Single() != o.ETag && match.Single() != o.ETag.Trim('"'))
        {
            return Error(HttpStatusCode.PreconditionFailed, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
        }

        var range = request.Headers.GetValues("x-amz-copy-source-range").Single()["bytes=".Length..].Split('-');
        var from = int.Parse(range[0], CultureInfo.InvariantCulture);
        var to = int.Parse(range[1], CultureInfo.InvariantCulture);
        var bytes = o.Data[from..(to + 1)];
        var part = int.Parse(query["partNumber"], CultureInfo.InvariantCulture);
        var sha = Convert.ToBase64String(SHA256.HashData(bytes));
        var etag = "\"" + Convert.ToHexStringLower(MD5.HashData(bytes)) + "\"";
        lock (upload)
        {
            upload.Parts[part] = (bytes, etag, sha);
        }

        var checksum = ReturnPartChecksums ? $"<ChecksumSHA256>{sha}</ChecksumSHA256>" : string.Empty;
        return Xml($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><CopyPartResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LastModified>2025-01-02T03:04:05.000Z</LastModified><ETag>{SecurityElement.Escape(etag)}</ETag>{checksum}</CopyPartResult>");
    }

    private async Task<HttpResponseMessage> CompleteAsync(string bucket, string key, Dictionary<string, string> query, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!_uploads.TryRemove(query["uploadId"], out var upload))
        {
            return Error(HttpStatusCode.NotFound, "NoSuchUpload", "The specified upload does not exist.");
        }

        _ = await request.Content!.ReadAsStringAsync(cancellationToken);
        var parts = upload.Parts.OrderBy(p => p.Key).Select(p => p.Value).ToList();
        var data = parts.SelectMany(p => p.Data).ToArray();
        Seed(bucket, key, data, [.. parts.Select(p => (long)p.Data.Length)], contentType: upload.ContentType, metadata: upload.Metadata);
        var stored = _objects[(bucket, key)];
        var checksum = ReturnCompleteChecksum ? $"<ChecksumSHA256>{stored.Checksum}</ChecksumSHA256><ChecksumType>COMPOSITE</ChecksumType>" : string.Empty;
        return Xml($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><CompleteMultipartUploadResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Location>http://fake/{bucket}/{SecurityElement.Escape(key)}</Location><Bucket>{bucket}</Bucket><Key>{SecurityElement.Escape(key)}</Key><ETag>{SecurityElement.Escape(stored.ETag)}</ETag>{checksum}</CompleteMultipartUploadResult>");
    }

    private HttpResponseMessage Abort(Dictionary<string, string> query) =>
        _uploads.TryRemove(query["uploadId"], out _)
            ? new HttpResponseMessage(HttpStatusCode.NoContent) { Content = new ByteArrayContent([]) }
            : Error(HttpStatusCode.NotFound, "NoSuchUpload", "The specified upload does not exist.");

    private static HttpResponseMessage Xml(string xml) =>
        new(HttpStatusCode.OK) { Content = new StringContent(xml, Encoding.UTF8, "application/xml") };

    private static HttpResponseMessage Error(HttpStatusCode status, string code, string message) => FaultInjectingHandler.ErrorResponse(status, code, message);

    internal sealed record FakeObject(byte[] Data, string ETag, string? Checksum, string? ChecksumType, IReadOnlyList<long>? PartSizes, string ContentType, IReadOnlyDictionary<string, string> Metadata);

    private sealed record Upload(string Bucket, string Key, string ContentType, Dictionary<string, string> Metadata)
    {
        public SortedDictionary<int, (byte[] Data, string ETag, string Sha)> Parts { get; } = [];
    }
}
