namespace Quilt.Packaging.Tests.Matrix;

/// <summary>
/// Works around one moto 5.2.1 gap between the store and moto: HEAD with <c>versionId=null</c> is answered 400 Bad
/// Request, although moto serves GET with <c>versionId=null</c> and AWS serves both (in a bucket whose versioning is
/// suspended, <c>null</c> names the null version, which the store keeps in physical keys as quilt3 does). The shim
/// sends such a HEAD without the parameter; in the matrix's suspended registry nothing else writes the key, so the
/// current object is the null version. Every rewrite is counted so that the tests can report it.
/// </summary>
internal sealed class MotoNullVersionHeadShim(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private int _rewritten;

    public int Rewritten => Volatile.Read(ref _rewritten);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Head && request.RequestUri is { Query.Length: > 0 } uri)
        {
            var query = uri.Query.TrimStart('?').Split('&');
            if (query.Contains("versionId=null", StringComparer.Ordinal))
            {
                var builder = new UriBuilder(uri) { Query = string.Join('&', query.Where(p => p != "versionId=null")) };
                request.RequestUri = builder.Uri;
                Interlocked.Increment(ref _rewritten);
            }
        }

        return base.SendAsync(request, cancellationToken);
    }
}
