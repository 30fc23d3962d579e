using System.Net;
using System.Text;

namespace Quilt.Packaging.Tests.Pipeline;

/// <summary>
/// Test double in front of moto: answers chosen requests with an S3 error instead of forwarding them, to prove the
/// pipeline's rollback and error mapping against a server that fails half-way.
/// </summary>
internal sealed class S3FaultHandler(HttpMessageHandler inner, Func<HttpRequestMessage, int, (HttpStatusCode Status, string Code)?> fault) : DelegatingHandler(inner)
{
    private int _copies;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var isCopy = request.Method == HttpMethod.Put && request.Headers.Contains("x-amz-copy-source");
        var copyNumber = isCopy ? Interlocked.Increment(ref _copies) : 0;
        if (fault(request, copyNumber) is { } error)
        {
            var body = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{error.Code}</Code><Message>injected {error.Code}</Message><RequestId>test</RequestId></Error>";
            return new HttpResponseMessage(error.Status) { Content = new StringContent(body, Encoding.UTF8, "application/xml"), RequestMessage = request };
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
