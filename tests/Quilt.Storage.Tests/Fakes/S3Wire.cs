namespace Quilt.Storage.Tests.Fakes;

/// <summary>Names the S3 operation an HTTP request carries (path-style addressing), as the store's counter names it.</summary>
internal static class S3Wire
{
    public static string Operation(HttpRequestMessage request)
    {
        var uri = request.RequestUri!;
        var query = Query(uri);
        var path = uri.AbsolutePath.TrimStart('/');
        var hasKey = path.IndexOf('/', StringComparison.Ordinal) is var slash && slash >= 0 && slash < path.Length - 1;
        var copy = request.Headers.Contains("x-amz-copy-source");
        var method = request.Method.Method;
        return (method, hasKey) switch
        {
            ("HEAD", true) => "HeadObject",
            ("HEAD", false) => "HeadBucket",
            ("GET", true) => query.ContainsKey("attributes") ? "GetObjectAttributes" : "GetObject",
            ("GET", false) when query.ContainsKey("versioning") => "GetBucketVersioning",
            ("GET", false) when query.ContainsKey("versions") => "ListObjectVersions",
            ("GET", false) when query.ContainsKey("uploads") => "ListMultipartUploads",
            ("GET", false) when query.ContainsKey("list-type") => "ListObjectsV2",
            ("GET", false) => "ListObjects",
            ("PUT", true) when query.ContainsKey("partNumber") => copy ? "UploadPartCopy" : "UploadPart",
            ("PUT", true) => copy ? "CopyObject" : "PutObject",
            ("PUT", false) => query.ContainsKey("versioning") ? "PutBucketVersioning" : "CreateBucket",
            ("POST", false) when query.ContainsKey("delete") => "DeleteObjects",
            ("POST", true) when query.ContainsKey("uploads") => "CreateMultipartUpload",
            ("POST", true) when query.ContainsKey("uploadId") => "CompleteMultipartUpload",
            ("DELETE", true) => query.ContainsKey("uploadId") ? "AbortMultipartUpload" : "DeleteObject",
            ("DELETE", false) => "DeleteBucket",
            _ => method + " " + uri.AbsolutePath,
        };
    }

    /// <summary>Query parameters (a name without '=' maps to "").</summary>
    public static Dictionary<string, string> Query(Uri uri)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(eq < 0 ? part : part[..eq]);
            result[name] = eq < 0 ? string.Empty : Uri.UnescapeDataString(part[(eq + 1)..]);
        }

        return result;
    }

    /// <summary>(bucket, key) of a path-style request; key is "" for bucket requests.</summary>
    public static (string Bucket, string Key) Target(Uri uri)
    {
        var path = uri.AbsolutePath.TrimStart('/');
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return slash < 0
            ? (Uri.UnescapeDataString(path), string.Empty)
            : (Uri.UnescapeDataString(path[..slash]), Uri.UnescapeDataString(path[(slash + 1)..]));
    }
}
