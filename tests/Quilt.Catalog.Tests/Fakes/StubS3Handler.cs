using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Quilt.Testing;

namespace Quilt.Catalog.Tests.Fakes;

/// <summary>
/// An in-process S3 behind a real <see cref="Storage.S3ObjectStore"/> (via <see cref="Storage.S3StoreOptions.HttpHandlerWrapper"/>):
/// answers ListObjectsV2 with one object, records the access key and session token that signed every request, and
/// refuses the session tokens a test marks as refused with <c>400 ExpiredToken</c> (echoing the token, as a careless
/// server might, to prove it is kept out of messages).
/// </summary>
public sealed class StubS3Handler : HttpMessageHandler
{
    private readonly ConcurrentDictionary<string, bool> _refused = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _holdUntil;
    private int _held;

    /// <summary>Every request as (method, access key, session token, refused), in arrival order.</summary>
    public ConcurrentQueue<(string Method, string? AccessKeyId, string? SessionToken, bool Refused)> Calls { get; } = new();

    /// <summary>The session tokens of the calls, in arrival order.</summary>
    public IReadOnlyList<string?> Sessions => [.. Calls.Select(c => c.SessionToken)];

    /// <summary>Refuses every request signed with <paramref name="sessionToken"/> from now on.</summary>
    public void Refuse(string sessionToken) => _refused[sessionToken] = true;

    /// <summary>Holds refusals until <paramref name="count"/> of them have arrived, so that they all were signed with the same set.</summary>
    public void HoldRefusalsUntil(int count) => _holdUntil = count;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var authorization = request.Headers.TryGetValues("Authorization", out var header) ? string.Join(",", header) : string.Empty;
        var key = SigV4.AccessKey(authorization);
        var session = request.Headers.TryGetValues("x-amz-security-token", out var values) ? values.FirstOrDefault() : null;
        var refused = session is not null && _refused.ContainsKey(session);
        Calls.Enqueue((request.Method.Method, key, session, refused));
        if (refused)
        {
            if (_holdUntil > 0)
            {
                if (Interlocked.Increment(ref _held) >= _holdUntil)
                {
                    _released.TrySetResult();
                }

                await _released.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            }

            return Xml(HttpStatusCode.BadRequest, $"<Error><Code>ExpiredToken</Code><Message>The provided token has expired: {session} for {key}</Message><RequestId>STUB</RequestId></Error>");
        }

        var bucket = request.RequestUri!.AbsolutePath.Trim('/').Split('/')[0];
        return Xml(
            HttpStatusCode.OK,
            $"<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>{bucket}</Name><Prefix></Prefix><KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>"
            + "<Contents><Key>a.txt</Key><LastModified>2026-01-02T03:04:05.000Z</LastModified><ETag>\"0cc175b9c0f1b6a831c399e269772661\"</ETag><Size>1</Size><StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>");
    }

    private static HttpResponseMessage Xml(HttpStatusCode status, string body) => new(status)
    {
        Content = new StringContent("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body, Encoding.UTF8, "application/xml"),
    };
}
