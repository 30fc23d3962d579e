#if QUILT_S3PROXY
namespace Quilt.Testing;

/// <summary>One S3 request as a proxy in front of moto sees it (path-style: bucket, then key), with who signed it.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Bucket">The bucket ("" for the service root).</param>
/// <param name="Key">The object key, unescaped ("" for a bucket request).</param>
/// <param name="Query">The raw query string, with its leading '?'.</param>
/// <param name="AccessKeyId">The access key of the SigV4 signature (header or presigned query), when signed.</param>
/// <param name="SessionToken">The session token (header or presigned query), when any.</param>
/// <param name="HasCopySource">Whether <c>x-amz-copy-source</c> is set (a server-side copy).</param>
public sealed record S3ProxyRequest(string Method, string Bucket, string Key, string Query, string? AccessKeyId, string? SessionToken, bool HasCopySource)
{
    /// <summary>The S3 operation, as far as a test needs it (HEAD/GET ones named, others by method).</summary>
    public string Operation => (Method, Key.Length > 0) switch
    {
        ("HEAD", true) => "HeadObject",
        ("GET", false) when HasQuery("versioning") => "GetBucketVersioning",
        ("GET", false) when HasQuery("versions") => "ListObjectVersions",
        ("GET", false) => "ListObjects",
        ("GET", true) => "GetObject",
        var (method, _) => method,
    };

    /// <summary>A part of a multipart copy (UploadPartCopy).</summary>
    public bool IsUploadPartCopy => Method == "PUT" && HasCopySource && Query.Contains("partNumber=", StringComparison.Ordinal);

    /// <summary>A single-request copy (CopyObject).</summary>
    public bool IsCopyObject => Method == "PUT" && HasCopySource && !Query.Contains("partNumber=", StringComparison.Ordinal);

    /// <summary>The start of a multipart upload (CreateMultipartUpload).</summary>
    public bool IsCreateMultipartUpload => Method == "POST" && Query.Contains("uploads", StringComparison.Ordinal) && !Query.Contains("uploadId", StringComparison.Ordinal);

    /// <summary>A plain object PUT (PutObject).</summary>
    public bool IsPutObject => Method == "PUT" && !HasCopySource && Key.Length > 0 && !Query.Contains("partNumber=", StringComparison.Ordinal);

    private bool HasQuery(string name) =>
        Query.TrimStart('?').Split('&').Any(p => p.Split('=', 2)[0] == name);
}
#endif
