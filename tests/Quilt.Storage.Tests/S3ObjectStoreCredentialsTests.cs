using System.Collections.Concurrent;
using System.Net;
using Amazon.Runtime;
using Quilt.Core.Errors;
using Quilt.Storage.Tests.Fakes;
using Quilt.Testing;

namespace Quilt.Storage.Tests;

/// <summary>
/// <see cref="S3StoreOptions.Credentials"/>: explicit SDK credentials win over keys; refreshing credentials that S3
/// refuses (expired, revoked) are cleared and the request is sent once more with fresh ones, never more, and none of
/// their secrets reach an error message.
/// </summary>
public sealed class S3ObjectStoreCredentialsTests(MotoFixture moto)
{
    private readonly MotoServer _server = moto.Server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(S3ObjectStore Store, KeyGate Gate, ObjectLocation Location)> StoreAsync(AWSCredentials credentials, Func<S3StoreOptions, S3StoreOptions>? configure = null)
    {
        var bucket = await _server.CreateBucketAsync(cancellationToken: Ct);
        using (var seed = _server.CreateStore())
        {
            await seed.PutAsync(new ObjectLocation(bucket, "obj"), "data"u8.ToArray(), cancellationToken: Ct);
        }

        KeyGate? gate = null;
        var store = _server.CreateStore(o =>
        {
            var options = o with { Credentials = credentials, MaxRetries = 0, HttpHandlerWrapper = inner => gate = new KeyGate(inner) };
            return configure is null ? options : configure(options);
        });
        return (store, gate!, new ObjectLocation(bucket, "obj"));
    }

    [Fact]
    public async Task Credentials_WinOverKeys_AndSignEveryRequest()
    {
        var (store, gate, location) = await StoreAsync(
            new BasicAWSCredentials("explicit-key", "explicit-secret"),
            o => o with { AccessKeyId = "configured-key", SecretAccessKey = null });
        using var _ = store;

        (await store.TryReadAllBytesAsync(location, Ct)).ShouldBe("data"u8.ToArray());
        await store.HeadAsync(location, Ct);

        gate.Keys.ShouldBe(["explicit-key", "explicit-key"]);
    }

    [Theory]
    [InlineData("ExpiredToken")]
    [InlineData("InvalidToken")]
    [InlineData("InvalidAccessKeyId")]
    [InlineData("TokenRefreshRequired")]
    public async Task Refreshing_RefusedForTheCredentials_ClearedAndSentOnceMoreWithFreshOnes(string code)
    {
        var credentials = new SequenceCredentials("key-1", "key-2");
        var (store, gate, location) = await StoreAsync(credentials);
        using var _ = store;
        gate.Refuse("key-1", HttpStatusCode.BadRequest, code);

        var bytes = await store.TryReadAllBytesAsync(location, Ct);
        await store.HeadAsync(location, Ct);

        bytes.ShouldBe("data"u8.ToArray());
        gate.Keys.ShouldBe(["key-1", "key-2", "key-2"]);
        credentials.Generated.ShouldBe(2);
        credentials.Cleared.ShouldBe(1);
        store.Requests.Count("GetObject").ShouldBe(2);
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "AccessDenied", QuiltErrorKind.AccessDenied)]
    [InlineData(HttpStatusCode.Forbidden, "SignatureDoesNotMatch", QuiltErrorKind.AccessDenied)]
    [InlineData(HttpStatusCode.BadRequest, "InvalidArgument", QuiltErrorKind.InvalidInput)]
    public async Task Refreshing_OtherRefusals_NotRenewedNorRetried(HttpStatusCode status, string code, QuiltErrorKind kind)
    {
        var credentials = new SequenceCredentials("key-1", "key-2");
        var (store, gate, location) = await StoreAsync(credentials);
        using var _ = store;
        gate.Refuse("key-1", status, code);

        var error = await Should.ThrowAsync<QuiltException>(() => store.TryReadAllBytesAsync(location, Ct));

        error.Kind.ShouldBe(kind);
        gate.Keys.ShouldBe(["key-1"]);
        credentials.Cleared.ShouldBe(0);
    }

    [Fact]
    public async Task Refreshing_RefusedAgainAfterRenewal_AccessDeniedWithoutAnySetsSecrets()
    {
        var credentials = new SequenceCredentials("key-1", "key-2", "key-3");
        var (store, gate, location) = await StoreAsync(credentials);
        using var _ = store;
        gate.Refuse("key-1", HttpStatusCode.BadRequest, "ExpiredToken");
        gate.Refuse("key-2", HttpStatusCode.BadRequest, "ExpiredToken");

        var error = await Should.ThrowAsync<QuiltException>(() => store.TryReadAllBytesAsync(location, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.AccessDenied);
        error.Message.ShouldContain("ExpiredToken");
        gate.Keys.ShouldBe(["key-1", "key-2"]);
        credentials.Cleared.ShouldBe(1);
        var text = error.Message + " " + error.Hint + " " + error.InnerException;
        text.ShouldNotContain("secret-of-key-2");
        text.ShouldNotContain("token-of-key-2");
        text.ShouldNotContain("key-2 ");
    }

    [Fact]
    public async Task Refreshing_HeadAnswered400WithoutACode_Renewed()
    {
        var credentials = new SequenceCredentials("key-1", "key-2");
        var (store, gate, location) = await StoreAsync(credentials);
        using var _ = store;
        gate.Refuse("key-1", HttpStatusCode.BadRequest, "ExpiredToken");

        var head = await store.HeadAsync(location, Ct);

        head.Size.ShouldBe(4);
        gate.Keys.ShouldBe(["key-1", "key-2"]);
    }

    [Fact]
    public async Task Refreshing_ManyRequestsRefusedTogether_ClearedOnce()
    {
        var credentials = new SequenceCredentials("key-1", "key-2", "key-3");
        var (store, gate, location) = await StoreAsync(credentials);
        using var _ = store;
        gate.Refuse("key-1", HttpStatusCode.BadRequest, "ExpiredToken");
        gate.HoldRefusalsUntil(6);

        var all = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => store.TryReadAllBytesAsync(location, Ct)));

        all.ShouldAllBe(b => b != null && b.Length == 4);
        credentials.Cleared.ShouldBe(1);
        credentials.Generated.ShouldBe(2);
        gate.Keys.Count(k => k == "key-1").ShouldBe(6);
        gate.Keys.Count(k => k == "key-2").ShouldBe(6);
    }

    [Fact]
    public async Task StaticSessionCredentials_ExpiredToken_NotRetried()
    {
        var (store, gate, location) = await StoreAsync(new SessionAWSCredentials("key-1", "secret-1", "token-1"));
        using var _ = store;
        gate.Refuse("key-1", HttpStatusCode.BadRequest, "ExpiredToken");

        var error = await Should.ThrowAsync<QuiltException>(() => store.TryReadAllBytesAsync(location, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.AccessDenied);
        gate.Keys.ShouldBe(["key-1"]);
    }

    [Fact]
    public async Task Refreshing_CredentialsCannotBeHad_ErrorReachesTheCallerAsIs()
    {
        var failure = QuiltException.AccessDenied("No credentials for you.", "Log in again.");
        var (store, gate, location) = await StoreAsync(new SequenceCredentials(failure));
        using var _ = store;

        var error = await Should.ThrowAsync<QuiltException>(() => store.TryReadAllBytesAsync(location, Ct));

        error.ShouldBeSameAs(failure);
        gate.Keys.ShouldBeEmpty();
    }

    [Fact]
    public async Task Presign_Refreshing_UsesTheCurrentSet()
    {
        var credentials = new SequenceCredentials("key-1", "key-2");
        var (store, _, location) = await StoreAsync(credentials);
        using var __ = store;

        var first = store.Presign(location, forUpload: false, TimeSpan.FromMinutes(5));
        credentials.ClearCredentials();
        var second = store.Presign(location, forUpload: false, TimeSpan.FromMinutes(5));

        first.Query.ShouldContain("key-1");
        second.Query.ShouldContain("key-2");
        second.Query.ShouldContain("X-Amz-Security-Token=token-of-key-2");
    }

    /// <summary>Refreshing credentials handing out the given sets in turn (the last one again and again).</summary>
    private sealed class SequenceCredentials : RefreshingAWSCredentials
    {
        private readonly string[] _keys;
        private readonly Exception? _failure;
        private int _generated;
        private int _cleared;

        public SequenceCredentials(params string[] keys) => _keys = keys;

        public SequenceCredentials(Exception failure)
        {
            _keys = [];
            _failure = failure;
        }

        public int Generated => _generated;

        public int Cleared => _cleared;

        public override void ClearCredentials()
        {
            Interlocked.Increment(ref _cleared);
            base.ClearCredentials();
        }

        protected override CredentialsRefreshState GenerateNewCredentials()
        {
            if (_failure is not null)
            {
                throw _failure;
            }

            var key = _keys[Math.Min(Interlocked.Increment(ref _generated) - 1, _keys.Length - 1)];
            return new CredentialsRefreshState(new ImmutableCredentials(key, "secret-of-" + key, "token-of-" + key), DateTime.UtcNow.AddHours(1));
        }

        protected override Task<CredentialsRefreshState> GenerateNewCredentialsAsync() => Task.FromResult(GenerateNewCredentials());
    }

    /// <summary>
    /// Between the SDK and moto: records the access key of every request and refuses chosen keys as S3 would (a HEAD
    /// answer without a body), echoing the refused key's secret and token in the message to prove they are scrubbed.
    /// </summary>
    private sealed class KeyGate(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private readonly ConcurrentDictionary<string, (HttpStatusCode Status, string Code)> _refused = new(StringComparer.Ordinal);
        private readonly ConcurrentQueue<string> _keys = new();
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _holdUntil;
        private int _held;

        public IReadOnlyList<string> Keys => [.. _keys];

        public void Refuse(string accessKey, HttpStatusCode status, string code) => _refused[accessKey] = (status, code);

        public void HoldRefusalsUntil(int count) => _holdUntil = count;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var authorization = request.Headers.TryGetValues("Authorization", out var values) ? string.Join(",", values) : string.Empty;
            var start = authorization.IndexOf("Credential=", StringComparison.Ordinal) + "Credential=".Length;
            var key = authorization[start..authorization.IndexOf('/', start)];
            _keys.Enqueue(key);
            if (!_refused.TryGetValue(key, out var refusal))
            {
                return await base.SendAsync(request, cancellationToken);
            }

            if (_holdUntil > 0)
            {
                if (Interlocked.Increment(ref _held) >= _holdUntil)
                {
                    _released.TrySetResult();
                }

                await _released.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            }

            var answer = request.Method == HttpMethod.Head
                ? new HttpResponseMessage(refusal.Status) { Content = new ByteArrayContent([]) }
                : FaultInjectingHandler.ErrorResponse(refusal.Status, refusal.Code, $"Refused {key} secret-of-{key} token-of-{key}");
            answer.RequestMessage = request;
            return answer;
        }
    }
}
