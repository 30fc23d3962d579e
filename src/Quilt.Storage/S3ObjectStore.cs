using System.Runtime.InteropServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Quilt.Core.Errors;
using Quilt.Core.Naming;
using Quilt.Storage.Internal;
using static Quilt.Storage.Internal.S3Mapping;

namespace Quilt.Storage;

/// <summary>
/// <see cref="IObjectStore"/> over Amazon S3 and S3-compatible servers (AWS SDK for .NET v4). One instance holds one
/// S3 client and one connection pool for the whole process; every request passes a concurrency gate, is counted in
/// <see cref="Requests"/>, and is retried by this store (never by the SDK) when S3 throttles or fails transiently.
/// </summary>
public sealed partial class S3ObjectStore : IObjectStore, IDisposable
{
    private readonly AmazonS3Client _client;
    private readonly StoreHttpClientFactory _http;
    private readonly S3RequestRunner _runner;
    private readonly Protocol _presignProtocol;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _keepsVersions = new(StringComparer.Ordinal);
    private int _disposed;

    /// <summary>
    /// Creates a store from explicit options: <see cref="S3StoreOptions.Credentials"/>, else the access keys, else the
    /// SDK's standard chain.
    /// </summary>
    public S3ObjectStore(S3StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        S3ClientFactory.Validate(options);
        Options = options;
        _http = new StoreHttpClientFactory(options.MaxConcurrency, options.RequestTimeout, options.HttpHandlerWrapper);
        _client = S3ClientFactory.Create(options, _http, out _presignProtocol);
        string[] secrets = [options.SecretAccessKey ?? string.Empty, options.SessionToken ?? string.Empty, options.AccessKeyId ?? string.Empty];
        _runner = new S3RequestRunner(
            Requests, options.MaxConcurrency, options.MaxRetries, options.RetryBaseDelay, options.RetryMaxDelay, secrets, options.Credentials as RefreshingAWSCredentials);
    }

    /// <summary>The options this store was created with (after environment resolution).</summary>
    public S3StoreOptions Options { get; }

    /// <inheritdoc/>
    public string Scheme => "s3";

    /// <inheritdoc/>
    public RequestCounter Requests { get; } = new();

    /// <summary>
    /// Creates a store from the standard AWS configuration: credentials from the SDK chain (environment, profile,
    /// SSO, instance role), region from <c>AWS_REGION</c>/<c>AWS_DEFAULT_REGION</c>/the profile (default
    /// <c>us-east-1</c>), endpoint from <c>AWS_ENDPOINT_URL_S3</c> or <c>AWS_ENDPOINT_URL</c> (then path-style).
    /// Members set in <paramref name="overrides"/> win.
    /// </summary>
    public static S3ObjectStore FromEnvironment(S3StoreOptions? overrides = null)
    {
        var options = overrides ?? new S3StoreOptions();
        var endpoint = options.ServiceUrl ?? AwsEnvironment.Env("AWS_ENDPOINT_URL_S3") ?? AwsEnvironment.Env("AWS_ENDPOINT_URL");
        var region = options.Region ?? AwsEnvironment.Env("AWS_REGION") ?? AwsEnvironment.Env("AWS_DEFAULT_REGION") ?? AwsEnvironment.ProfileRegion() ?? "us-east-1";
        return new S3ObjectStore(options with { ServiceUrl = endpoint, Region = region });
    }

    /// <inheritdoc/>
    public async Task<BucketInfo> GetBucketInfoAsync(string bucket, CancellationToken cancellationToken = default)
    {
        RequireBucket(bucket);
        BucketInfo info;
        try
        {
            var response = await _runner.RunAsync(
                "GetBucketVersioning",
                "s3://" + bucket,
                ct => _client.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket }, ct),
                cancellationToken).ConfigureAwait(false);
            var status = response.VersioningConfig?.Status;
            info = new BucketInfo(bucket, true, status == VersionStatus.Enabled, status == VersionStatus.Suspended);
        }
        catch (QuiltException e) when (e.Kind == QuiltErrorKind.NotFound)
        {
            return new BucketInfo(bucket, false, false);
        }
        catch (QuiltException e) when (e.Kind == QuiltErrorKind.AccessDenied)
        {
            // Read-only and public buckets often refuse GetBucketVersioning while allowing reads. When a one-key listing
            // is allowed the bucket is there, and object responses carry the version ids that matter; otherwise the
            // refusal stands.
            try
            {
                await ListPageAsync(bucket, "", null, 1, null, cancellationToken).ConfigureAwait(false);
            }
            catch (QuiltException probe) when (probe.Kind == QuiltErrorKind.AccessDenied)
            {
                throw e;
            }

            return new BucketInfo(bucket, true, false, IsVersioningKnown: false);
        }

        _keepsVersions[bucket] = info.KeepsVersions;
        return info;
    }

    /// <inheritdoc/>
    public async Task<ObjectLocation> PutAsync(ObjectLocation destination, ReadOnlyMemory<byte> content, string? contentType = null, CancellationToken cancellationToken = default) =>
        (await PutAsync(destination, content, new PutOptions { ContentType = contentType }, cancellationToken).ConfigureAwait(false)).Location;

    /// <inheritdoc/>
    public async Task<WrittenObject> PutAsync(ObjectLocation destination, ReadOnlyMemory<byte> content, PutOptions options, CancellationToken cancellationToken = default)
    {
        RequireLocation(destination);
        ArgumentNullException.ThrowIfNull(options);
        var segment = MemoryMarshal.TryGetArray(content, out var array) ? array : new ArraySegment<byte>(content.ToArray());
        PutObjectResponse response;
        try
        {
            response = await _runner.RunAsync(
                "PutObject",
                Target(destination),
                async ct =>
                {
                    using var body = new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false);
                    return await _client.PutObjectAsync(
                        new PutObjectRequest
                        {
                            BucketName = destination.Bucket,
                            Key = destination.Key,
                            InputStream = body,
                            AutoCloseStream = false,
                            ContentType = options.ContentType,
                            ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
                            IfNoneMatch = options.IfNoneMatch ? "*" : null,
                            IfMatch = options.IfMatchETag,
                        },
                        ct).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (QuiltException e) when (e.Kind == QuiltErrorKind.Conflict && (options.IfNoneMatch || options.IfMatchETag is not null))
        {
            throw new QuiltException(
                QuiltErrorKind.Conflict,
                options.IfNoneMatch ? $"{Target(destination)} already exists; it was not overwritten." : $"{Target(destination)} changed since it was read; it was not overwritten.",
                "Another writer got there first: read the current value and run again.",
                e);
        }

        var version = await WrittenVersionAsync(destination.Bucket, response.VersionId, cancellationToken).ConfigureAwait(false);
        return new WrittenObject(destination with { VersionId = version }, NullIfEmpty(response.ETag));
    }

    /// <inheritdoc/>
    public async Task<DeleteOutcome> DeleteIfMatchAsync(ObjectLocation location, string etag, CancellationToken cancellationToken = default)
    {
        RequireLocation(location);
        ArgumentException.ThrowIfNullOrEmpty(etag);
        var current = location with { VersionId = null };

        // HEAD first: some S3-compatible servers ignore If-Match on DeleteObject, and then the comparison is ours alone.
        ObjectMetadata head;
        try
        {
            head = await HeadAsync(current, cancellationToken).ConfigureAwait(false);
        }
        catch (QuiltException e) when (e.Kind == QuiltErrorKind.NotFound)
        {
            return DeleteOutcome.Absent;
        }

        if (!string.Equals(head.ETag, etag, StringComparison.Ordinal))
        {
            return DeleteOutcome.Changed;
        }

        try
        {
            await _runner.RunAsync(
                "DeleteObject",
                Target(current),
                ct => _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = current.Bucket, Key = current.Key, IfMatch = etag }, ct),
                cancellationToken).ConfigureAwait(false);
            return DeleteOutcome.Deleted;
        }
        catch (QuiltException e) when (e.Kind == QuiltErrorKind.Conflict)
        {
            return DeleteOutcome.Changed;
        }
        catch (QuiltException e) when (e.Kind == QuiltErrorKind.NotFound)
        {
            return DeleteOutcome.Absent;
        }
    }

    /// <summary>
    /// The version id a write reports, as a physical key may carry it. S3-compatible servers (moto among them) answer a
    /// multipart completion in a never-versioned bucket with the literal version <c>null</c>, which S3 then refuses as a
    /// version to read; in a bucket that was versioned once (suspended), <c>null</c> is a real version and is kept.
    /// </summary>
    private async Task<string?> WrittenVersionAsync(string bucket, string? versionId, CancellationToken cancellationToken)
    {
        var version = NullIfEmpty(versionId);
        if (version != "null")
        {
            return version;
        }

        if (!_keepsVersions.TryGetValue(bucket, out var keeps))
        {
            var info = await GetBucketInfoAsync(bucket, cancellationToken).ConfigureAwait(false);
            keeps = info.KeepsVersions || !info.IsVersioningKnown;
        }

        return keeps ? version : null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<(ObjectLocation Location, string Error)>> DeleteAsync(IReadOnlyList<ObjectLocation> locations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(locations);
        var failures = new List<(ObjectLocation, string)>();
        foreach (var group in locations.GroupBy(l => l.Bucket, StringComparer.Ordinal))
        {
            RequireBucket(group.Key);
            foreach (var batch in group.Chunk(1000))
            {
                try
                {
                    var response = await _runner.RunAsync(
                        "DeleteObjects",
                        "s3://" + group.Key,
                        ct => _client.DeleteObjectsAsync(
                            new DeleteObjectsRequest
                            {
                                BucketName = group.Key,
                                Quiet = true,
                                Objects = [.. batch.Select(l => new KeyVersion { Key = l.Key, VersionId = l.VersionId })],
                            },
                            ct),
                        cancellationToken).ConfigureAwait(false);
                    foreach (var error in response.DeleteErrors ?? [])
                    {
                        var location = batch.FirstOrDefault(l => l.Key == error.Key && (string.IsNullOrEmpty(error.VersionId) || l.VersionId == error.VersionId))
                            ?? new ObjectLocation(group.Key, error.Key, NullIfEmpty(error.VersionId));
                        failures.Add((location, $"{error.Code}: {error.Message}"));
                    }
                }
                catch (QuiltException e)
                {
                    failures.AddRange(batch.Select(l => (l, e.Message)));
                }
            }
        }

        return failures;
    }

    /// <inheritdoc/>
    public string ToPhysicalKey(ObjectLocation location)
    {
        RequireLocation(location);
        return PhysicalKey.S3(location.Bucket, location.Key, location.VersionId).ToString();
    }

    /// <inheritdoc/>
    public Uri Presign(ObjectLocation location, bool forUpload, TimeSpan expiresIn)
    {
        RequireLocation(location);
        if (expiresIn <= TimeSpan.Zero || expiresIn > TimeSpan.FromDays(7))
        {
            throw QuiltException.InvalidInput($"A presigned URL must expire within 7 days; {expiresIn} was asked.", "Ask for a lifetime between 1 second and 7 days.");
        }

        try
        {
            var url = _client.GetPreSignedURL(new GetPreSignedUrlRequest
            {
                BucketName = location.Bucket,
                Key = location.Key,
                VersionId = forUpload ? null : location.VersionId,
                Verb = forUpload ? HttpVerb.PUT : HttpVerb.GET,
                Expires = DateTime.UtcNow.Add(expiresIn),
                Protocol = _presignProtocol,
            });
            return new Uri(url);
        }
        catch (AmazonClientException e)
        {
            throw S3Errors.Map(e, "Presign", Target(location), _runner.Secrets);
        }
    }

    /// <summary>Releases the S3 client and its connections.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _client.Dispose();
            _http.Dispose();
            _runner.Dispose();
        }
    }

    private static string Target(ObjectLocation location) =>
        location.VersionId is null ? $"s3://{location.Bucket}/{location.Key}" : $"s3://{location.Bucket}/{location.Key}?versionId={location.VersionId}";

    private static string Target(string bucket, string key) => $"s3://{bucket}/{key}";

    private static void RequireBucket(string bucket)
    {
        if (string.IsNullOrWhiteSpace(bucket) || bucket.Contains('/', StringComparison.Ordinal))
        {
            throw QuiltException.InvalidInput($"'{bucket}' is not a bucket name.", "Give the bare bucket name, e.g. 'my-bucket' for s3://my-bucket/.");
        }
    }

    private static void RequireLocation(ObjectLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        RequireBucket(location.Bucket);
        if (string.IsNullOrEmpty(location.Key))
        {
            throw QuiltException.InvalidInput($"No object key was given for s3://{location.Bucket}/.", "Name an object, e.g. s3://bucket/path/file.csv.");
        }
    }
}
