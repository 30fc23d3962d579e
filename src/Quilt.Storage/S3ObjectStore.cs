using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Quilt.Core.Errors;
using Quilt.Core.Naming;
using Quilt.Storage.Internal;

namespace Quilt.Storage;

/// <summary>
/// <see cref="IObjectStore"/> over Amazon S3 and S3-compatible servers (AWS SDK for .NET v4). One instance holds one
/// S3 client and one connection pool for the whole process; every request passes a concurrency gate, is counted in
/// <see cref="Requests"/>, and is retried by this store (never by the SDK) when S3 throttles or fails transiently.
/// </summary>
public sealed partial class S3ObjectStore : IObjectStore, IDisposable
{
    private const string AmzMetaPrefix = "x-amz-meta-";

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
        if (options.MaxConcurrency < 1 || options.MaxRetries < 0 || options.RangedGetConcurrency < 1)
        {
            throw QuiltException.InvalidInput(
                $"Invalid S3 store options: MaxConcurrency={options.MaxConcurrency}, MaxRetries={options.MaxRetries}, RangedGetConcurrency={options.RangedGetConcurrency}.",
                "Use a concurrency of at least 1 and a non-negative retry count.");
        }

        if (options.Credentials is null && string.IsNullOrEmpty(options.AccessKeyId) != string.IsNullOrEmpty(options.SecretAccessKey))
        {
            throw QuiltException.InvalidInput("An access key id was given without its secret key, or the reverse.", "Give both, or neither to use the standard AWS credential chain.");
        }

        Options = options;
        var region = string.IsNullOrWhiteSpace(options.Region) ? "us-east-1" : options.Region;
        _http = new StoreHttpClientFactory(options.MaxConcurrency, options.RequestTimeout, options.HttpHandlerWrapper);
        var config = new AmazonS3Config
        {
            MaxErrorRetry = 0,
            Timeout = options.RequestTimeout,
            HttpClientFactory = _http,
            MaxConnectionsPerServer = options.MaxConcurrency,
            IgnoreConfiguredEndpointUrls = true,
        };
        if (!string.IsNullOrWhiteSpace(options.ServiceUrl))
        {
            if (!Uri.TryCreate(options.ServiceUrl, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
            {
                throw QuiltException.InvalidInput($"The S3 endpoint '{options.ServiceUrl}' is not an http(s) URL.", "Set AWS_ENDPOINT_URL_S3 to a URL such as http://127.0.0.1:9000.");
            }

            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = region;
            config.ForcePathStyle = options.ForcePathStyle ?? true;
            _presignProtocol = endpoint.Scheme == Uri.UriSchemeHttp ? Protocol.HTTP : Protocol.HTTPS;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
            config.ForcePathStyle = options.ForcePathStyle ?? false;
            _presignProtocol = Protocol.HTTPS;
        }

        AWSCredentials? credentials = options.Credentials;
        if (credentials is null && !string.IsNullOrEmpty(options.AccessKeyId))
        {
            credentials = string.IsNullOrEmpty(options.SessionToken)
                ? new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey)
                : new SessionAWSCredentials(options.AccessKeyId, options.SecretAccessKey, options.SessionToken);
        }

        _client = credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
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
        var endpoint = options.ServiceUrl ?? Env("AWS_ENDPOINT_URL_S3") ?? Env("AWS_ENDPOINT_URL");
        var region = options.Region ?? Env("AWS_REGION") ?? Env("AWS_DEFAULT_REGION") ?? ProfileRegion() ?? "us-east-1";
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
    public IAsyncEnumerable<ObjectSummary> ListAsync(string bucket, string prefix, bool latestVersions = false, CancellationToken cancellationToken = default)
    {
        RequireBucket(bucket);
        ArgumentNullException.ThrowIfNull(prefix);
        return latestVersions ? ListLatestVersionsAsync(bucket, prefix, cancellationToken) : ListCurrentAsync(bucket, prefix, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<ObjectListPage> ListPageAsync(string bucket, string prefix, string? delimiter, int maxKeys, string? continuationToken, CancellationToken cancellationToken = default)
    {
        RequireBucket(bucket);
        ArgumentNullException.ThrowIfNull(prefix);
        if (maxKeys < 1)
        {
            throw QuiltException.InvalidInput($"maxKeys must be at least 1, not {maxKeys}.", "Ask for 1 to 1000 keys per page.");
        }

        var response = await _runner.RunAsync(
            "ListObjectsV2",
            Target(bucket, prefix),
            ct => _client.ListObjectsV2Async(
                new ListObjectsV2Request
                {
                    BucketName = bucket,
                    Prefix = prefix,
                    Delimiter = string.IsNullOrEmpty(delimiter) ? null : delimiter,
                    MaxKeys = Math.Min(maxKeys, 1000),
                    ContinuationToken = string.IsNullOrEmpty(continuationToken) ? null : continuationToken,
                },
                ct),
            cancellationToken).ConfigureAwait(false);
        var objects = (response.S3Objects ?? []).Select(ToSummary).ToList();
        var prefixes = response.CommonPrefixes ?? [];
        return new ObjectListPage(objects, prefixes, response.IsTruncated == true ? response.NextContinuationToken : null);
    }

    /// <inheritdoc/>
    public async Task<ObjectMetadata> HeadAsync(ObjectLocation location, CancellationToken cancellationToken = default)
    {
        var response = await HeadRawAsync(location, cancellationToken).ConfigureAwait(false);
        return ToMetadata(location, response);
    }

    /// <inheritdoc/>
    public async Task<byte[]?> TryReadAllBytesAsync(ObjectLocation location, CancellationToken cancellationToken = default)
    {
        RequireLocation(location);
        return await _runner.RunAsync<byte[]?>(
            "GetObject",
            Target(location),
            async ct =>
            {
                try
                {
                    using var response = await _client.GetObjectAsync(
                        new GetObjectRequest { BucketName = location.Bucket, Key = location.Key, VersionId = location.VersionId },
                        ct).ConfigureAwait(false);
                    using var buffer = new MemoryStream(response.ContentLength is > 0 and < int.MaxValue ? (int)response.ContentLength : 0);
                    await response.ResponseStream.CopyToAsync(buffer, ct).ConfigureAwait(false);
                    if (buffer.Length != response.ContentLength)
                    {
                        throw new IOException($"The response ended after {buffer.Length} of {response.ContentLength} bytes.");
                    }

                    return buffer.ToArray();
                }
                catch (AmazonS3Exception e) when (e.ErrorCode is "NoSuchKey" || (e.StatusCode == System.Net.HttpStatusCode.NotFound && e.ErrorCode is not "NoSuchBucket"))
                {
                    return null;
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<Stream> OpenReadAsync(ObjectLocation location, long offset = 0, long? length = null, CancellationToken cancellationToken = default)
    {
        RequireLocation(location);
        if (offset < 0 || length < 0)
        {
            throw QuiltException.InvalidInput($"Invalid range: offset {offset}, length {length}.", "Use a non-negative offset and length.");
        }

        if (length == 0)
        {
            return new MemoryStream([], writable: false);
        }

        var response = await _runner.RunAsync(
            "GetObject",
            Target(location),
            ct => _client.GetObjectAsync(
                new GetObjectRequest
                {
                    BucketName = location.Bucket,
                    Key = location.Key,
                    VersionId = location.VersionId,
                    ByteRange = length is { } n ? new ByteRange(offset, offset + n - 1) : offset > 0 ? new ByteRange($"bytes={offset}-") : null,
                },
                ct),
            cancellationToken).ConfigureAwait(false);
        return new BoundedReadStream(response.ResponseStream, response.ContentLength, response);
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

    /// <inheritdoc/>
    public async IAsyncEnumerable<ObjectVersion> ListVersionsAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        RequireBucket(bucket);
        ArgumentNullException.ThrowIfNull(prefix);
        string? keyMarker = null;
        string? versionMarker = null;
        while (true)
        {
            var (key, version) = (keyMarker, versionMarker);
            var response = await _runner.RunAsync(
                "ListObjectVersions",
                Target(bucket, prefix),
                ct => _client.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket, Prefix = prefix, KeyMarker = key, VersionIdMarker = version }, ct),
                cancellationToken).ConfigureAwait(false);
            foreach (var item in response.Versions ?? [])
            {
                yield return new ObjectVersion(
                    item.Key,
                    await WrittenVersionAsync(bucket, item.VersionId, cancellationToken).ConfigureAwait(false),
                    item.IsDeleteMarker == true ? null : NullIfEmpty(item.ETag),
                    item.Size ?? 0,
                    ToOffset(item.LastModified),
                    item.IsLatest == true,
                    item.IsDeleteMarker == true);
            }

            if (response.IsTruncated != true)
            {
                yield break;
            }

            keyMarker = response.NextKeyMarker;
            versionMarker = response.NextVersionIdMarker;
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<MultipartUpload> ListUploadsAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        RequireBucket(bucket);
        string? keyMarker = null;
        string? uploadIdMarker = null;
        while (true)
        {
            var (key, upload) = (keyMarker, uploadIdMarker);
            var response = await _runner.RunAsync(
                "ListMultipartUploads",
                Target(bucket, prefix),
                ct => _client.ListMultipartUploadsAsync(
                    new ListMultipartUploadsRequest { BucketName = bucket, Prefix = prefix, KeyMarker = key, UploadIdMarker = upload },
                    ct),
                cancellationToken).ConfigureAwait(false);
            foreach (var item in response.MultipartUploads ?? [])
            {
                yield return new MultipartUpload(bucket, item.Key, item.UploadId, ToOffset(item.Initiated));
            }

            if (response.IsTruncated != true)
            {
                yield break;
            }

            keyMarker = response.NextKeyMarker;
            uploadIdMarker = response.NextUploadIdMarker;
        }
    }

    /// <inheritdoc/>
    public Task AbortUploadAsync(MultipartUpload upload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return AbortMultipartUploadAsync(upload.Bucket, upload.Key, upload.UploadId, cancellationToken);
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

    /// <summary>Aborts a multipart upload (rollback of an interrupted copy); an upload already gone is not an error.</summary>
    public async Task AbortMultipartUploadAsync(string bucket, string key, string uploadId, CancellationToken cancellationToken = default)
    {
        RequireBucket(bucket);
        try
        {
            await _runner.RunAsync(
                "AbortMultipartUpload",
                Target(bucket, key),
                ct => _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId }, ct),
                cancellationToken).ConfigureAwait(false);
        }
        catch (QuiltException e) when (e.Kind == QuiltErrorKind.NotFound && e.Message.Contains("NoSuchUpload", StringComparison.Ordinal))
        {
            // Already completed or aborted.
        }
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

    internal async Task<GetObjectMetadataResponse> HeadRawAsync(ObjectLocation location, CancellationToken cancellationToken)
    {
        RequireLocation(location);
        return await _runner.RunAsync(
            "HeadObject",
            Target(location),
            async ct =>
            {
                try
                {
                    return await _client.GetObjectMetadataAsync(
                        new GetObjectMetadataRequest { BucketName = location.Bucket, Key = location.Key, VersionId = location.VersionId, ChecksumMode = ChecksumMode.ENABLED },
                        ct).ConfigureAwait(false);
                }
                catch (AmazonS3Exception e) when (location.VersionId == "null" && e.StatusCode == System.Net.HttpStatusCode.BadRequest)
                {
                    // S3 names a suspended bucket's null version "null"; some compatible servers (moto among them) refuse
                    // that id on HEAD though GET takes it. The current object is the same one when it carries that version.
                    var current = await _client.GetObjectMetadataAsync(
                        new GetObjectMetadataRequest { BucketName = location.Bucket, Key = location.Key, ChecksumMode = ChecksumMode.ENABLED },
                        ct).ConfigureAwait(false);
                    if (current.VersionId is null or "" or "null")
                    {
                        return current;
                    }

                    throw;
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async IAsyncEnumerable<ObjectSummary> ListCurrentAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var continuation = token;
            var response = await _runner.RunAsync(
                "ListObjectsV2",
                Target(bucket, prefix),
                ct => _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, ContinuationToken = continuation }, ct),
                cancellationToken).ConfigureAwait(false);
            foreach (var item in response.S3Objects ?? [])
            {
                yield return ToSummary(item);
            }

            token = response.IsTruncated == true ? response.NextContinuationToken : null;
        }
        while (!string.IsNullOrEmpty(token));
    }

    private async IAsyncEnumerable<ObjectSummary> ListLatestVersionsAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? keyMarker = null;
        string? versionMarker = null;
        while (true)
        {
            var (key, version) = (keyMarker, versionMarker);
            var response = await _runner.RunAsync(
                "ListObjectVersions",
                Target(bucket, prefix),
                ct => _client.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket, Prefix = prefix, KeyMarker = key, VersionIdMarker = version }, ct),
                cancellationToken).ConfigureAwait(false);
            foreach (var item in response.Versions ?? [])
            {
                if (item.IsLatest == true && item.IsDeleteMarker != true)
                {
                    yield return ToSummary(item) with { VersionId = NullIfEmpty(item.VersionId) };
                }
            }

            if (response.IsTruncated != true)
            {
                yield break;
            }

            keyMarker = response.NextKeyMarker;
            versionMarker = response.NextVersionIdMarker;
        }
    }

    private static ObjectSummary ToSummary(S3Object item)
    {
        var size = item.Size ?? 0;
        return new ObjectSummary(
            item.Key,
            size,
            item.ETag,
            ToOffset(item.LastModified),
            null,
            NullIfEmpty(item.StorageClass?.Value),
            size == 0 && item.Key.EndsWith('/'));
    }

    private static ObjectMetadata ToMetadata(ObjectLocation location, GetObjectMetadataResponse r) =>
        new(
            location with { VersionId = NullIfEmpty(r.VersionId) ?? location.VersionId },
            r.ContentLength,
            r.ETag,
            ToOffset(r.LastModified),
            NullIfEmpty(r.Headers.ContentType),
            NullIfEmpty(r.StorageClass?.Value),
            UserMetadata(r.Metadata),
            new ObjectChecksums(
                NullIfEmpty(r.ChecksumSHA256),
                NullIfEmpty(r.ChecksumCRC64NVME),
                NullIfEmpty(r.ChecksumCRC32),
                NullIfEmpty(r.ChecksumCRC32C),
                NullIfEmpty(r.ChecksumSHA1),
                NullIfEmpty(r.ChecksumType?.Value)),
            r.PartsCount);

    private static ObjectMetadata ToMetadata(ObjectLocation location, GetObjectResponse r) =>
        new(
            location with { VersionId = NullIfEmpty(r.VersionId) ?? location.VersionId },
            r.ContentLength,
            r.ETag,
            ToOffset(r.LastModified),
            NullIfEmpty(r.Headers.ContentType),
            NullIfEmpty(r.StorageClass?.Value),
            UserMetadata(r.Metadata),
            new ObjectChecksums(
                NullIfEmpty(r.ChecksumSHA256),
                NullIfEmpty(r.ChecksumCRC64NVME),
                NullIfEmpty(r.ChecksumCRC32),
                NullIfEmpty(r.ChecksumCRC32C),
                NullIfEmpty(r.ChecksumSHA1),
                NullIfEmpty(r.ChecksumType?.Value)),
            r.PartsCount);

    private static Dictionary<string, string> UserMetadata(MetadataCollection metadata)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in metadata.Keys)
        {
            var shortName = name.StartsWith(AmzMetaPrefix, StringComparison.OrdinalIgnoreCase) ? name[AmzMetaPrefix.Length..] : name;
            result[shortName] = MetadataValues.Decode(metadata[name] ?? string.Empty);
        }

        return result;
    }

    private static DateTimeOffset? ToOffset(DateTime? time) => time switch
    {
        null => null,
        { Kind: DateTimeKind.Utc } t => new DateTimeOffset(t, TimeSpan.Zero),
        { } t => new DateTimeOffset(t.ToUniversalTime(), TimeSpan.Zero),
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string? Env(string name) => NullIfEmpty(Environment.GetEnvironmentVariable(name)?.Trim());

    /// <summary>
    /// The <c>region</c> of the active profile in the shared config file (<c>AWS_CONFIG_FILE</c>, default
    /// <c>~/.aws/config</c>), read directly: the SDK's profile store caches files process-wide.
    /// </summary>
    private static string? ProfileRegion()
    {
        var profile = Env("AWS_PROFILE") ?? Env("AWS_DEFAULT_PROFILE") ?? "default";
        var path = Env("AWS_CONFIG_FILE") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".aws", "config");
        string[] lines;
        try
        {
            lines = File.Exists(path) ? File.ReadAllLines(path) : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // an unreadable config file is the SDK's business when it resolves credentials
        }

        var wanted = profile == "default" ? new[] { "default", "profile default" } : ["profile " + profile];
        var inSection = false;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                var name = string.Join(' ', line[1..^1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
                inSection = wanted.Contains(name, StringComparer.Ordinal);
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (inSection && eq > 0 && line[..eq].Trim() == "region")
            {
                return NullIfEmpty(line[(eq + 1)..].Trim());
            }
        }

        return null;
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
