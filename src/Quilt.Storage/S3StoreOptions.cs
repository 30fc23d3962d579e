using Amazon.Runtime;

namespace Quilt.Storage;

/// <summary>
/// How an <see cref="S3ObjectStore"/> reaches S3 and how hard it may push it. Unset members fall back to the
/// standard AWS configuration (<see cref="S3ObjectStore.FromEnvironment"/>) or to defaults sized for S3's
/// per-prefix request limits.
/// </summary>
public sealed record S3StoreOptions
{
    /// <summary>
    /// An S3-compatible endpoint (<c>http://127.0.0.1:9000</c>); null for AWS itself. With an endpoint, path-style
    /// addressing is used because such servers rarely resolve virtual-host bucket names.
    /// </summary>
    public string? ServiceUrl { get; init; }

    /// <summary>The region to sign for; null means <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, the profile, then <c>us-east-1</c>.</summary>
    public string? Region { get; init; }

    /// <summary>Forces path-style addressing; null means "when <see cref="ServiceUrl"/> is set".</summary>
    public bool? ForcePathStyle { get; init; }

    /// <summary>An access key id to use instead of the standard credential chain (tests, explicit configuration).</summary>
    public string? AccessKeyId { get; init; }

    /// <summary>The secret key that goes with <see cref="AccessKeyId"/>. Never logged nor put in messages.</summary>
    public string? SecretAccessKey { get; init; }

    /// <summary>A session token for temporary credentials (with <see cref="AccessKeyId"/>).</summary>
    public string? SessionToken { get; init; }

    /// <summary>
    /// Credentials to sign with; when set they win over <see cref="AccessKeyId"/>, <see cref="SecretAccessKey"/>,
    /// <see cref="SessionToken"/> and the standard chain. For credentials that change while the store lives, such as a
    /// catalog user's temporary credentials: the SDK asks them for the current set before each request. When they are
    /// <see cref="RefreshingAWSCredentials"/>, a request S3 refuses because of the credentials themselves
    /// (<c>ExpiredToken</c>, <c>InvalidToken</c>, <c>InvalidAccessKeyId</c>, <c>TokenRefreshRequired</c>, or a HEAD answered
    /// 400 without a code) clears them
    /// (<see cref="RefreshingAWSCredentials.ClearCredentials"/>) and is sent once more with fresh ones. Secrets of the
    /// sets signed with are kept out of error messages like configured ones. The store does not dispose them.
    /// </summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>
    /// Requests in flight at once from this store (and HTTP connections to the endpoint). S3 sustains thousands of
    /// requests per second per prefix, but one process rarely gains beyond a few dozen connections. Default 32.
    /// </summary>
    public int MaxConcurrency { get; init; } = 32;

    /// <summary>Retries after the first attempt for throttling, 5xx, timeouts and connection resets. Default 5.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>The first backoff delay; it doubles per retry, with jitter. Default 200 ms.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest backoff delay between two attempts. Default 10 s.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one HTTP request may take before it counts as timed out (and is retried). Default 5 minutes.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Chunks hashed at once when an object is read with ranged GETs (ladder step e). Default 4 (8 MiB each in flight).</summary>
    public int RangedGetConcurrency { get; init; } = 4;

    /// <summary>
    /// Wraps the HTTP handler the SDK sends through (fault injection, fakes, tracing). The handler passed in is the
    /// store's own connection-limited handler; return it, a <see cref="DelegatingHandler"/> around it, or a
    /// replacement.
    /// </summary>
    public Func<HttpMessageHandler, HttpMessageHandler>? HttpHandlerWrapper { get; init; }
}
