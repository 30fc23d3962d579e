using System.Net;
using Quilt.Core.Errors;
using Quilt.Storage.Tests.Fakes;
using Quilt.Testing;
using static Quilt.Storage.Tests.Fakes.TestData;

namespace Quilt.Storage.Tests;

/// <summary>
/// Faults injected between the SDK and moto: which failures are retried (and counted per attempt), which are not,
/// how they surface as typed errors without secrets, and cancellation in the middle of a listing or a copy.
/// </summary>
public sealed class S3ObjectStoreFaultTests(MotoFixture moto)
{
    private readonly MotoServer _server = moto.Server;

    [Fact]
    public async Task HeadAsync_SlowDownTwice_RetriesAndSucceedsCountingEveryAttempt()
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, faults, location) = await StoreWithObjectAsync(ct);
        using var _ = store;
        faults.Fail("HeadObject", 2, HttpStatusCode.ServiceUnavailable, "SlowDown", "Please reduce your request rate.");

        var head = await store.HeadAsync(location, ct);

        head.Size.ShouldBe(4);
        faults.CountOf("HeadObject").ShouldBe(3);
        store.Requests.Count("HeadObject").ShouldBe(3);
    }

    [Fact]
    public async Task TryReadAllBytesAsync_InternalErrorOnce_Retries()
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, faults, location) = await StoreWithObjectAsync(ct);
        using var _ = store;
        faults.Fail("GetObject", 1, HttpStatusCode.InternalServerError, "InternalError", "We encountered an internal error. Please try again.");

        var bytes = await store.TryReadAllBytesAsync(location, ct);

        bytes.ShouldBe("data"u8.ToArray());
        store.Requests.Count("GetObject").ShouldBe(2);
    }

    [Fact]
    public async Task ListAsync_ConnectionResetAndTimeout_AreRetried()
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, faults, location) = await StoreWithObjectAsync(ct);
        using var _ = store;
        faults.Throw("ListObjectsV2", 1, () => new HttpRequestException("Connection reset by peer", new IOException("Connection reset by peer")));
        faults.Throw("ListObjectsV2", 1, () => new TaskCanceledException("The request timed out.", new TimeoutException()));

        var listed = await store.ListAsync(location.Bucket, string.Empty, cancellationToken: ct).ToListAsync(ct);

        listed.Select(o => o.Key).ShouldBe([location.Key]);
        store.Requests.Count("ListObjectsV2").ShouldBe(3);
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "AccessDenied", QuiltErrorKind.AccessDenied)]
    [InlineData(HttpStatusCode.NotFound, "NoSuchKey", QuiltErrorKind.NotFound)]
    [InlineData(HttpStatusCode.BadRequest, "InvalidArgument", QuiltErrorKind.InvalidInput)]
    [InlineData(HttpStatusCode.PreconditionFailed, "PreconditionFailed", QuiltErrorKind.Conflict)]
    [InlineData(HttpStatusCode.NotImplemented, "NotImplemented", QuiltErrorKind.Unsupported)]
    public async Task TryReadAllBytesAsync_ClientErrors_AreNotRetriedAndAreTyped(HttpStatusCode status, string code, QuiltErrorKind kind)
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, faults, location) = await StoreWithObjectAsync(ct);
        using var _ = store;
        faults.Fail("GetObject", 1, status, code);

        if (code == "NoSuchKey")
        {
            (await store.TryReadAllBytesAsync(location, ct)).ShouldBeNull();
        }
        else
        {
            var error = await Should.ThrowAsync<QuiltException>(() => store.TryReadAllBytesAsync(location, ct));
            error.Kind.ShouldBe(kind);
            error.Message.ShouldContain($"s3://{location.Bucket}/{location.Key}");
            error.Message.ShouldContain(code);
            error.Hint.ShouldNotBeNullOrWhiteSpace();
            error.IsTransient.ShouldBeFalse();
        }

        store.Requests.Count("GetObject").ShouldBe(1);
        faults.CountOf("GetObject").ShouldBe(1);
    }

    [Fact]
    public async Task HeadAsync_Forbidden_IsAccessDeniedAfterOneAttempt()
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, faults, location) = await StoreWithObjectAsync(ct);
        using var _ = store;
        faults.Fail("HeadObject", 1, HttpStatusCode.Forbidden, "AccessDenied");

        var error = await Should.ThrowAsync<QuiltException>(() => store.HeadAsync(location, ct));

        error.Kind.ShouldBe(QuiltErrorKind.AccessDenied);
        error.Hint!.ShouldContain("s3:HeadObject");
        store.Requests.Count("HeadObject").ShouldBe(1);
    }

    [Fact]
    public async Task HeadAsync_ThrottledBeyondRetries_IsThrottledAfterAllAttempts()
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, faults, location) = await StoreWithObjectAsync(ct, o => o with { MaxRetries = 3 });
        using var _ = store;
        faults.Fail("HeadObject", 100, HttpStatusCode.ServiceUnavailable, "SlowDown");

        var error = await Should.ThrowAsync<QuiltException>(() => store.HeadAsync(location, ct));

        error.Kind.ShouldBe(QuiltErrorKind.Throttled);
        error.IsTransient.ShouldBeTrue();
        store.Requests.Count("HeadObject").ShouldBe(4);
        faults.CountOf("HeadObject").ShouldBe(4);
    }

    [Fact]
    public async Task PutAsync_ServerErrorsBeyondRetries_IsTransient()
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, faults, location) = await StoreWithObjectAsync(ct, o => o with { MaxRetries = 1 });
        using var _ = store;
        faults.Fail("PutObject", 100, HttpStatusCode.BadGateway, "BadGateway");
        var before = store.Requests.Snapshot();

        var error = await Should.ThrowAsync<QuiltException>(() => store.PutAsync(location, new byte[] { 1 }, cancellationToken: ct));

        error.Kind.ShouldBe(QuiltErrorKind.Transient);
        store.Requests.Since(before).ShouldBe(new Dictionary<string, long> { ["PutObject"] = 2 });
    }

    [Fact]
    public async Task GetBucketInfoAsync_VersioningAndListingDenied_Throws()
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, faults, location) = await StoreWithObjectAsync(ct);
        using var _ = store;
        faults.Fail("GetBucketVersioning", 1, HttpStatusCode.Forbidden, "AccessDenied");
        faults.Fail("ListObjectsV2", 1, HttpStatusCode.Forbidden, "AccessDenied");

        var error = await Should.ThrowAsync<QuiltException>(() => store.GetBucketInfoAsync(location.Bucket, ct));

        error.Kind.ShouldBe(QuiltErrorKind.AccessDenied);
    }

    [Fact]
    public async Task GetBucketInfoAsync_OnlyVersioningDenied_ExistsWithVersioningUnknown()
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, faults, location) = await StoreWithObjectAsync(ct);
        using var _ = store;
        faults.Fail("GetBucketVersioning", 1, HttpStatusCode.Forbidden, "AccessDenied");

        var info = await store.GetBucketInfoAsync(location.Bucket, ct);

        info.Exists.ShouldBeTrue();
        info.IsVersioningKnown.ShouldBeFalse();
        info.IsVersioned.ShouldBeFalse();
    }

    [Fact]
    public async Task Errors_ThatEchoCredentials_NeverCarryThemInMessageOrHint()
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, faults, location) = await StoreWithObjectAsync(ct, o => o with { SessionToken = "session-token-value-secret" });
        using var _ = store;
        var echo = $"Key {MotoServer.AccessKeyId} secret {MotoServer.SecretAccessKey} token session-token-value-secret AKIAABCDEFGHIJKLMNOP";
        faults.Fail("HeadObject", 1, HttpStatusCode.Forbidden, "SignatureDoesNotMatch", echo);
        faults.Throw("GetObject", 10, () => new HttpRequestException("connect failed " + MotoServer.SecretAccessKey, new IOException("reset")));

        var denied = await Should.ThrowAsync<QuiltException>(() => store.HeadAsync(location, ct));
        var transient = await Should.ThrowAsync<QuiltException>(() => store.TryReadAllBytesAsync(location, ct));

        foreach (var error in new[] { denied, transient })
        {
            var text = error.Message + " " + error.Hint + " " + error.InnerException?.ToString();
            text.ShouldNotContain(MotoServer.SecretAccessKey);
            text.ShouldNotContain(MotoServer.AccessKeyId);
            text.ShouldNotContain("session-token-value-secret");
            text.ShouldNotContain("AKIAABCDEFGHIJKLMNOP");
        }

        denied.Kind.ShouldBe(QuiltErrorKind.AccessDenied);
        transient.Kind.ShouldBe(QuiltErrorKind.Transient);
    }

    [Fact]
    public async Task ListAsync_CancelledOnSecondPage_StopsWithoutFurtherRequests()
    {
        var ct = TestContext.Current.CancellationToken;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var (store, faults, location) = await StoreWithObjectAsync(ct);
        using var _ = store;
        await store.SeedAsync(location.Bucket, Enumerable.Range(0, 1_050).Select(i => ($"page/{i:D4}", new byte[] { 1 })), cancellationToken: ct);
        faults.Before("ListObjectsV2", 1, _ => Task.CompletedTask); // first page passes
        faults.Before("ListObjectsV2", 1, async requestToken =>
        {
            await cancel.CancelAsync();
            await Task.Delay(Timeout.Infinite, requestToken);
        });
        var seen = 0;

        await Should.ThrowAsync<OperationCanceledException>(async () =>
        {
            await foreach (var item in store.ListAsync(location.Bucket, "page/", cancellationToken: cancel.Token))
            {
                seen++;
            }
        });

        seen.ShouldBe(1000);
        store.Requests.Count("ListObjectsV2").ShouldBe(2);
    }

    [Fact]
    public async Task CopyAsync_CancelledDuringPartCopies_AbortsTheMultipartUpload()
    {
        var ct = TestContext.Current.CancellationToken;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var raw = _server.CreateRawClient();
        var (store, faults, location) = await StoreWithObjectAsync(ct);
        using var _ = store;
        var big = await store.PutAsync(new ObjectLocation(location.Bucket, "big"), Bytes(17 * MiB, 2), cancellationToken: ct);
        faults.Before("UploadPartCopy", 1, async requestToken =>
        {
            await cancel.CancelAsync();
            await Task.Delay(Timeout.Infinite, requestToken);
        });

        await Should.ThrowAsync<OperationCanceledException>(() => store.CopyAsync(big, new ObjectLocation(location.Bucket, "copy/big"), new CopyOptions(), cancel.Token));

        faults.CountOf("AbortMultipartUpload").ShouldBe(1);
        var uploads = await raw.ListMultipartUploadsAsync(location.Bucket, ct);
        (uploads.MultipartUploads ?? []).ShouldBeEmpty();
        (await store.TryReadAllBytesAsync(new ObjectLocation(location.Bucket, "copy/big"), ct)).ShouldBeNull();
    }

    [Fact]
    public async Task CopyAsync_PartCopyDenied_AbortsAndThrowsAccessDenied()
    {
        var ct = TestContext.Current.CancellationToken;
        using var raw = _server.CreateRawClient();
        var (store, faults, location) = await StoreWithObjectAsync(ct);
        using var _ = store;
        var big = await store.PutAsync(new ObjectLocation(location.Bucket, "big"), Bytes(9 * MiB, 3), cancellationToken: ct);
        faults.Fail("UploadPartCopy", 1, HttpStatusCode.Forbidden, "AccessDenied");

        var error = await Should.ThrowAsync<QuiltException>(() => store.CopyAsync(big, new ObjectLocation(location.Bucket, "copy/big"), new CopyOptions(), ct));

        error.Kind.ShouldBe(QuiltErrorKind.AccessDenied);
        faults.CountOf("AbortMultipartUpload").ShouldBe(1);
        (await raw.ListMultipartUploadsAsync(location.Bucket, ct)).MultipartUploads.ShouldBeNull();
    }

    [Fact]
    public async Task HashAsync_RangedGetResetMidway_RetriesThatChunkOnly()
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, faults, location) = await StoreWithObjectAsync(ct);
        using var _ = store;
        var data = Bytes((8 * MiB) + 100, 6);
        var big = await store.PutAsync(new ObjectLocation(location.Bucket, "big"), data, cancellationToken: ct);
        faults.Throw("GetObject", 1, () => new HttpRequestException("reset", new IOException("Connection reset by peer")));

        var result = await store.HashAsync(big, new HashingOptions(), ct);

        result.Hash.ShouldBe(Core.Hashing.ObjectHasher.Compute(Core.Hashing.QuiltHashTypes.Sha256Chunked, data));
        store.Requests.Count("GetObject").ShouldBe(3);
    }

    private async Task<(S3ObjectStore Store, FaultInjectingHandler Faults, ObjectLocation Location)> StoreWithObjectAsync(
        CancellationToken ct, Func<S3StoreOptions, S3StoreOptions>? configure = null)
    {
        FaultInjectingHandler? faults = null;
        var store = _server.CreateStore(o =>
        {
            var options = o with { HttpHandlerWrapper = inner => faults = new FaultInjectingHandler(inner) };
            return configure is null ? options : configure(options);
        });
        var bucket = await _server.CreateBucketAsync(cancellationToken: ct);
        var location = await store.PutAsync(new ObjectLocation(bucket, "obj"), "data"u8.ToArray(), cancellationToken: ct);
        return (store, faults!, location);
    }
}
