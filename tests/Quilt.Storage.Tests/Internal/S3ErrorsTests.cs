using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Quilt.Core.Errors;
using Quilt.Storage.Internal;

namespace Quilt.Storage.Tests.Internal;

public sealed class S3ErrorsTests
{
    private static AmazonS3Exception S3(HttpStatusCode status, string code, string message = "msg") =>
        new(message, null, ErrorType.Sender, code, "req", status);

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "NoSuchBucket", QuiltErrorKind.NotFound)]
    [InlineData(HttpStatusCode.NotFound, "NoSuchUpload", QuiltErrorKind.NotFound)]
    [InlineData(HttpStatusCode.NotFound, "NoSuchVersion", QuiltErrorKind.NotFound)]
    [InlineData(HttpStatusCode.NotFound, "", QuiltErrorKind.NotFound)]
    [InlineData(HttpStatusCode.Forbidden, "ExpiredToken", QuiltErrorKind.AccessDenied)]
    [InlineData(HttpStatusCode.Forbidden, "SomethingElse", QuiltErrorKind.AccessDenied)]
    [InlineData(HttpStatusCode.BadRequest, "InvalidAccessKeyId", QuiltErrorKind.AccessDenied)]
    [InlineData(HttpStatusCode.PreconditionFailed, "", QuiltErrorKind.Conflict)]
    [InlineData(HttpStatusCode.TooManyRequests, "TooManyRequests", QuiltErrorKind.Throttled)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", QuiltErrorKind.Throttled)]
    [InlineData(HttpStatusCode.BadRequest, "Throttling", QuiltErrorKind.Throttled)]
    [InlineData(HttpStatusCode.InternalServerError, "InternalError", QuiltErrorKind.Transient)]
    [InlineData(HttpStatusCode.GatewayTimeout, "", QuiltErrorKind.Transient)]
    [InlineData(HttpStatusCode.BadRequest, "RequestTimeout", QuiltErrorKind.Transient)]
    [InlineData(HttpStatusCode.NotImplemented, "", QuiltErrorKind.Unsupported)]
    [InlineData(HttpStatusCode.BadRequest, "InvalidArgument", QuiltErrorKind.InvalidInput)]
    [InlineData(HttpStatusCode.Conflict, "BucketNotEmpty", QuiltErrorKind.InvalidInput)]
    public void Map_ServiceErrors_GiveKindTargetAndHint(HttpStatusCode status, string code, QuiltErrorKind kind)
    {
        var error = S3Errors.Map(S3(status, code), "GetObject", "s3://b/k", []);

        error.Kind.ShouldBe(kind);
        error.Message.ShouldStartWith("S3 GetObject on s3://b/k failed: ");
        error.Message.ShouldContain($"HTTP {(int)status}");
        error.Hint.ShouldNotBeNullOrWhiteSpace();
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, "SlowDown", true)]
    [InlineData(HttpStatusCode.InternalServerError, "InternalError", true)]
    [InlineData(HttpStatusCode.BadGateway, "", true)]
    [InlineData(HttpStatusCode.TooManyRequests, "", true)]
    [InlineData(HttpStatusCode.BadRequest, "RequestTimeout", true)]
    [InlineData(HttpStatusCode.NotImplemented, "NotImplemented", false)]
    [InlineData(HttpStatusCode.Forbidden, "AccessDenied", false)]
    [InlineData(HttpStatusCode.NotFound, "NoSuchKey", false)]
    [InlineData(HttpStatusCode.BadRequest, "InvalidArgument", false)]
    [InlineData(HttpStatusCode.PreconditionFailed, "PreconditionFailed", false)]
    public void IsRetryable_ServiceErrors_OnlyThrottlingAndServerFailures(HttpStatusCode status, string code, bool retryable) =>
        S3Errors.IsRetryable(S3(status, code), CancellationToken.None).ShouldBe(retryable);

    [Fact]
    public void IsRetryable_NetworkFailures_UnlessWeCancelled()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        S3Errors.IsRetryable(new HttpRequestException("reset", new IOException("reset")), CancellationToken.None).ShouldBeTrue();
        S3Errors.IsRetryable(new TaskCanceledException("timeout"), CancellationToken.None).ShouldBeTrue();
        S3Errors.IsRetryable(new AmazonServiceException("wrapped", new IOException("broken pipe")), CancellationToken.None).ShouldBeTrue();
        S3Errors.IsRetryable(new TaskCanceledException("ours"), cancelled.Token).ShouldBeFalse();
        S3Errors.IsRetryable(new InvalidOperationException("bug"), CancellationToken.None).ShouldBeFalse();
    }

    [Fact]
    public void Map_ClientAndNetworkErrors_AreTyped()
    {
        var noCredentials = S3Errors.Map(new AmazonClientException("Failed to resolve AWS credentials."), "HeadObject", "s3://b/k", []);
        var network = S3Errors.Map(new HttpRequestException("refused", new IOException("Connection refused")), "HeadObject", "s3://b/k", []);
        var timeout = S3Errors.Map(new TaskCanceledException("x", new TimeoutException()), "HeadObject", "s3://b/k", []);
        var other = S3Errors.Map(new AmazonClientException("Invalid endpoint."), "HeadObject", "s3://b/k", []);
        var quilt = QuiltException.Conflict("already typed");

        noCredentials.Kind.ShouldBe(QuiltErrorKind.AccessDenied);
        noCredentials.Hint!.ShouldContain("AWS_PROFILE");
        network.Kind.ShouldBe(QuiltErrorKind.Transient);
        network.Message.ShouldContain("Connection refused");
        timeout.Kind.ShouldBe(QuiltErrorKind.Transient);
        timeout.Message.ShouldContain("timed out");
        other.Kind.ShouldBe(QuiltErrorKind.Unsupported);
        S3Errors.Map(quilt, "X", "t", []).ShouldBeSameAs(quilt);
    }

    [Fact]
    public void Scrub_SecretsAndKeyShapes_AreReplaced()
    {
        var text = S3Errors.Scrub("id AKIAIOSFODNN7EXAMPLE secret wJalrXUtnFEMI/K7MDENG token tok", ["wJalrXUtnFEMI/K7MDENG", "tok", ""], out var changed);

        changed.ShouldBeTrue();
        text.ShouldBe("id *** secret *** ***en ***");
        S3Errors.Scrub("nothing here", ["secret"], out var unchanged).ShouldBe("nothing here");
        unchanged.ShouldBeFalse();
    }

    [Fact]
    public void Map_ScrubbedMessage_DropsTheInnerException()
    {
        var error = S3Errors.Map(S3(HttpStatusCode.Forbidden, "AccessDenied", "key s3cr3t-value leaked"), "HeadObject", "s3://b/k", ["s3cr3t-value"]);

        error.Message.ShouldNotContain("s3cr3t-value");
        error.InnerException.ShouldBeNull();
        S3Errors.Map(S3(HttpStatusCode.Forbidden, "AccessDenied"), "HeadObject", "s3://b/k", ["s3cr3t-value"]).InnerException.ShouldNotBeNull();
    }
}
