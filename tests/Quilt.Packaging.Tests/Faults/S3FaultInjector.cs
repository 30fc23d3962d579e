using System.Net;
using System.Text;

namespace Quilt.Packaging.Tests.Faults;

/// <summary>What an injected fault does to a matching request.</summary>
internal enum FaultKind
{
    /// <summary>Answers with an S3 error (status and code of the rule) instead of forwarding.</summary>
    Error,

    /// <summary>The connection is reset before the request reaches the server (nothing happens there).</summary>
    ResetBeforeSend,

    /// <summary>The request reaches the server and is carried out, then the connection is reset before the answer: an ambiguous failure.</summary>
    LostAnswer,

    /// <summary>Runs the rule's callback (e.g. cancels the run), then forwards the request unchanged.</summary>
    Callback,
}

/// <summary>
/// Sits between the SDK and moto (via <c>S3StoreOptions.HttpHandlerWrapper</c>) and injects faults into chosen requests:
/// S3 errors, connection resets before or after the server acted, or a callback such as cancelling the run. Rules name
/// an operation (as <see cref="Operation"/> names it), an optional predicate on the request, how many matching requests
/// pass first and how many then fail. It can also shrink listing pages so that small buckets list in several pages.
/// Extends the idea of <c>Pipeline/S3FaultHandler</c> (and of Quilt.Storage.Tests' <c>FaultInjectingHandler</c>) with
/// ambiguous failures and counts of what fired.
/// </summary>
internal sealed class S3FaultInjector(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private readonly Lock _gate = new();
    private readonly List<FaultRule> _rules = [];
    private int _listPageSize;

    /// <summary>How many requests some rule acted on (so that a test can prove its fault happened).</summary>
    public int Fired => _rules.Sum(r => r.Fired);

    /// <summary>Adds a rule; see <see cref="FaultRule"/>.</summary>
    public S3FaultInjector On(FaultRule rule)
    {
        lock (_gate)
        {
            _rules.Add(rule);
        }

        return this;
    }

    /// <summary>Makes ListObjectsV2 return at most <paramref name="size"/> keys per page (moto does not check the signature of the query).</summary>
    public S3FaultInjector ListPagesOf(int size)
    {
        _listPageSize = size;
        return this;
    }

    /// <summary>Names the S3 operation a path-style request carries, as the store's request counter names it.</summary>
    public static string Operation(HttpRequestMessage request)
    {
        var uri = request.RequestUri!;
        var query = uri.Query;
        var path = uri.AbsolutePath.TrimStart('/');
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var hasKey = slash >= 0 && slash < path.Length - 1;
        var copy = request.Headers.Contains("x-amz-copy-source");
        bool Has(string name) => query.Contains("?" + name, StringComparison.Ordinal) || query.Contains("&" + name, StringComparison.Ordinal);
        return (request.Method.Method, hasKey) switch
        {
            ("HEAD", true) => "HeadObject",
            ("GET", true) => Has("attributes") ? "GetObjectAttributes" : "GetObject",
            ("GET", false) when Has("versioning") => "GetBucketVersioning",
            ("GET", false) when Has("versions") => "ListObjectVersions",
            ("GET", false) when Has("uploads") => "ListMultipartUploads",
            ("GET", false) when Has("list-type") => "ListObjectsV2",
            ("PUT", true) when Has("partNumber") => copy ? "UploadPartCopy" : "UploadPart",
            ("PUT", true) => copy ? "CopyObject" : "PutObject",
            ("POST", false) when Has("delete") => "DeleteObjects",
            ("POST", true) when Has("uploads") => "CreateMultipartUpload",
            ("POST", true) when Has("uploadId") => "CompleteMultipartUpload",
            ("DELETE", true) => Has("uploadId") ? "AbortMultipartUpload" : "DeleteObject",
            _ => request.Method.Method + " " + uri.AbsolutePath,
        };
    }

    /// <summary>(bucket, key) of a path-style request; key is "" for bucket requests.</summary>
    public static (string Bucket, string Key) Target(HttpRequestMessage request)
    {
        var path = request.RequestUri!.AbsolutePath.TrimStart('/');
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        return slash < 0
            ? (Uri.UnescapeDataString(path), string.Empty)
            : (Uri.UnescapeDataString(path[..slash]), Uri.UnescapeDataString(path[(slash + 1)..]));
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var operation = Operation(request);
        if (_listPageSize > 0 && operation == "ListObjectsV2" && !request.RequestUri!.Query.Contains("max-keys", StringComparison.Ordinal))
        {
            request.RequestUri = new Uri(request.RequestUri + $"&max-keys={_listPageSize}");
        }

        FaultRule? rule;
        lock (_gate)
        {
            rule = _rules.FirstOrDefault(r => r.Claims(operation, request));
        }

        if (rule is null)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        switch (rule.Kind)
        {
            case FaultKind.Error:
                if (rule.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(rule.Delay, CancellationToken.None);
                }

                var body = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{rule.Code}</Code><Message>injected {rule.Code}</Message><RequestId>fault</RequestId></Error>";
                return new HttpResponseMessage(rule.Status) { Content = new StringContent(body, Encoding.UTF8, "application/xml"), RequestMessage = request };
            case FaultKind.ResetBeforeSend:
                throw new HttpRequestException("injected: connection reset by peer before sending", new IOException("Connection reset by peer"));
            case FaultKind.LostAnswer:
                using (var response = await base.SendAsync(request, cancellationToken))
                {
                    await response.Content.LoadIntoBufferAsync(cancellationToken);
                }

                throw new HttpRequestException("injected: connection reset by peer after the server acted", new IOException("Connection reset by peer"));
            default:
                await rule.Callback!();
                return await base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>
/// One fault: requests of <see cref="Operation"/> that match <see cref="Where"/> are counted; the first
/// <see cref="Skip"/> pass, the next <see cref="Times"/> get <see cref="Kind"/>, later ones pass again.
/// </summary>
internal sealed record FaultRule(string Operation, FaultKind Kind)
{
    private int _seen;
    private int _fired;

    public Func<HttpRequestMessage, bool>? Where { get; init; }

    public int Skip { get; init; }

    public int Times { get; init; } = int.MaxValue;

    public HttpStatusCode Status { get; init; } = HttpStatusCode.InternalServerError;

    public string Code { get; init; } = "InternalError";

    /// <summary>How long an error answer is held back (so that the other requests in flight stay in flight).</summary>
    public TimeSpan Delay { get; init; }

    public Func<Task>? Callback { get; init; }

    public int Fired => Volatile.Read(ref _fired);

    /// <summary>Whether this rule acts on the request (counting it either way when it matches).</summary>
    public bool Claims(string operation, HttpRequestMessage request)
    {
        if (operation != Operation || (Where is not null && !Where(request)))
        {
            return false;
        }

        var n = Interlocked.Increment(ref _seen);
        if (n <= Skip || n - Skip > Times)
        {
            return false;
        }

        Interlocked.Increment(ref _fired);
        return true;
    }
}
