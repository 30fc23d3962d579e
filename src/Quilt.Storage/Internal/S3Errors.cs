using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;
using Quilt.Core.Errors;

namespace Quilt.Storage.Internal;

/// <summary>Classifies SDK failures: which ones a retry may cure, and which <see cref="QuiltException"/> each becomes.</summary>
internal static partial class S3Errors
{
    /// <summary>Whether trying the same request again may succeed (throttling, 5xx, timeouts, connection resets).</summary>
    public static bool IsRetryable(Exception exception, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        if (exception is AmazonServiceException service && service.StatusCode != 0)
        {
            var status = (int)service.StatusCode;
            if (status == 501 || service.ErrorCode == "NotImplemented")
            {
                return false; // the server will never do it
            }

            if (status >= 500 || status == 429 || IsThrottleCode(service.ErrorCode) || service.ErrorCode is "RequestTimeout" or "InternalError")
            {
                return true;
            }

            if (status is >= 400 and < 500)
            {
                return false;
            }
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or IOException or SocketException or TimeoutException or OperationCanceledException)
            {
                // An OperationCanceledException that is not ours is an HTTP timeout.
                return true;
            }
        }

        return false;
    }

    /// <summary>Turns a failure of <paramref name="operation"/> on <paramref name="target"/> into a typed, secret-free error.</summary>
    public static QuiltException Map(Exception exception, string operation, string target, IReadOnlyList<string> secrets)
    {
        if (exception is QuiltException quilt)
        {
            return quilt;
        }

        if (exception is AmazonServiceException service && service.StatusCode != 0)
        {
            return MapService(service, operation, target, secrets);
        }

        var detail = Scrub(Describe(exception), secrets, out var scrubbed);
        var inner = scrubbed ? null : exception;
        if (IsCredentialProblem(exception, detail))
        {
            return QuiltException.CredentialsRefused(
                $"S3 {operation} on {target} failed: no usable AWS credentials ({detail}).",
                "Set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or log in with 'aws sso login'), then retry.",
                inner);
        }

        if (IsRetryable(exception, CancellationToken.None))
        {
            return QuiltException.Transient($"S3 {operation} on {target} failed after retries: {detail}.", inner);
        }

        return QuiltException.Unsupported(
            $"S3 {operation} on {target} failed: {detail}.",
            "Check the endpoint (AWS_ENDPOINT_URL_S3) and region configuration.",
            inner);
    }

    /// <summary>
    /// Whether S3 refused the request because of the credentials themselves (expired, revoked or unknown session
    /// credentials), which credentials renewed since may cure. Not <c>AccessDenied</c> (a policy refusal) nor
    /// <c>SignatureDoesNotMatch</c>. A HEAD answer has no body, hence no error code: S3 refuses expired or invalid session
    /// tokens with 400, so a HEAD answered 400 without a code counts too (an invalid version id also answers 400; renewing
    /// then costs one needless credentials request before the same error).
    /// </summary>
    public static bool IsRejectedCredentials(Exception exception, string operation) =>
        exception is AmazonServiceException { StatusCode: not 0 } service
        && (service.ErrorCode is "ExpiredToken" or "InvalidToken" or "InvalidAccessKeyId" or "TokenRefreshRequired"
            || (operation.StartsWith("Head", StringComparison.Ordinal) && service.StatusCode == HttpStatusCode.BadRequest && service.ErrorCode is null or "" or "BadRequest"));

    /// <summary>Whether the error code is one of the ways S3 says "slow down".</summary>
    public static bool IsThrottleCode(string? code) =>
        code is "SlowDown" or "Throttling" or "ThrottlingException" or "RequestLimitExceeded" or "TooManyRequests" or "RequestThrottled";

    /// <summary>Removes the configured secrets and anything shaped like an AWS key from <paramref name="text"/>.</summary>
    public static string Scrub(string text, IReadOnlyList<string> secrets, out bool changed)
    {
        var result = text;
        foreach (var secret in secrets)
        {
            if (!string.IsNullOrEmpty(secret))
            {
                result = result.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        result = AccessKeyPattern().Replace(result, "***");
        changed = !ReferenceEquals(result, text) && !string.Equals(result, text, StringComparison.Ordinal);
        return result;
    }

    private static QuiltException MapService(AmazonServiceException service, string operation, string target, IReadOnlyList<string> secrets)
    {
        var status = (int)service.StatusCode;
        var code = string.IsNullOrEmpty(service.ErrorCode) ? service.StatusCode.ToString() : service.ErrorCode;
        var text = Scrub(service.Message ?? string.Empty, secrets, out var scrubbed);
        var inner = scrubbed ? null : service;
        var head = $"S3 {operation} on {target} failed: {code} (HTTP {status})";
        var message = text.Length == 0 || text.StartsWith("Error making request", StringComparison.Ordinal) ? head + "." : $"{head}: {text}";

        switch (code)
        {
            case "NoSuchBucket":
                return QuiltException.NotFound(message, "Check the bucket name (and the region or endpoint); the bucket does not exist.", inner);
            case "NoSuchKey" or "NotFound" or "NoSuchVersion":
                return QuiltException.NotFound(message, "Check the key and version id; list the prefix to see what exists.", inner);
            case "NoSuchUpload":
                return QuiltException.NotFound(message, "The multipart upload was already completed or aborted; start the operation again.", inner);
            case "AccessDenied" or "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "ExpiredToken" or "InvalidToken" or "TokenRefreshRequired" or "AllAccessDisabled" or "AccountProblem":
                return QuiltException.CredentialsRefused(message, $"Check the AWS credentials in use (AWS_PROFILE, AWS_ACCESS_KEY_ID) and that they allow s3:{operation} on {target}.", inner);
            case "PreconditionFailed":
                return new QuiltException(QuiltErrorKind.Conflict, message + " The object changed while it was being read.", "Run the operation again so that it reads the current version.", inner);
            case "NotImplemented":
                return QuiltException.Unsupported(message, "This S3-compatible server does not implement the operation; use AWS S3 or a server that does.", inner);
            default:
                break;
        }

        if (IsThrottleCode(code) || status is 503 or 429)
        {
            return QuiltException.Throttled(message, inner);
        }

        return status switch
        {
            404 => QuiltException.NotFound(message, "Check the bucket, key and version id.", inner),
            403 => QuiltException.AccessDenied(message, $"Check the AWS credentials in use and that they allow s3:{operation} on {target}.", inner),
            412 => new QuiltException(QuiltErrorKind.Conflict, message + " The object changed while it was being read.", "Run the operation again so that it reads the current version.", inner),
            501 => QuiltException.Unsupported(message, "This S3-compatible server does not implement the operation.", inner),
            >= 500 => QuiltException.Transient(message, inner),
            _ when service.ErrorCode is "RequestTimeout" => QuiltException.Transient(message, inner),
            _ => new QuiltException(QuiltErrorKind.InvalidInput, message, "Check the bucket name, key and parameters of the request.", inner),
        };
    }

    private static bool IsCredentialProblem(Exception exception, string detail) =>
        (exception is AmazonClientException || (exception.GetType().Namespace?.StartsWith("Amazon.Runtime.Credential", StringComparison.Ordinal) ?? false))
        && (detail.Contains("credential", StringComparison.OrdinalIgnoreCase) || detail.Contains("profile", StringComparison.OrdinalIgnoreCase));

    private static string Describe(Exception exception)
    {
        var parts = new List<string>();
        for (var e = exception; e is not null && parts.Count < 3; e = e.InnerException)
        {
            parts.Add(e is OperationCanceledException ? "the request timed out" : e.Message.TrimEnd('.'));
        }

        return string.Join(": ", parts);
    }

    [GeneratedRegex("(?<![A-Z0-9])(AKIA|ASIA|AIDA|AROA)[A-Z0-9]{12,}", RegexOptions.CultureInvariant)]
    private static partial Regex AccessKeyPattern();
}
