using System.Collections.Concurrent;
using System.Security.Cryptography;
using Quilt.Core.Errors;
using Quilt.Core.Hashing;

namespace Quilt.Catalog.Tests.Fakes;

/// <summary>
/// An in-memory S3 "world" for catalog-mode tests: buckets (versioned or not) with objects, user metadata and stored
/// SHA-256 checksums, and per-access-key permissions, so that a store made from one user's temporary credentials can
/// read only that user's buckets. Like S3 it refuses credentials past their expiry (by <see cref="Clock"/>) or revoked.
/// </summary>
public sealed class MemoryS3
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, MemoryBucket> _buckets = new(StringComparer.Ordinal);
    private long _versions;

    public List<MemoryObjectStore> StoresCreated { get; } = [];

    /// <summary>The clock expiry is judged by (S3's).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Every request that reached the fake, with the credentials it was signed with, in order.</summary>
    public ConcurrentQueue<(string Operation, AwsTemporaryCredentials Credentials, bool Refused)> Signed { get; } = new();

    /// <summary>Session tokens S3 refuses as expired whatever their stated expiry (revoked early).</summary>
    public ConcurrentDictionary<string, bool> RevokedSessions { get; } = new(StringComparer.Ordinal);

    /// <summary>Runs before each request asks for its credentials (operation, whose store): lets a test move the clock mid-operation.</summary>
    public Action<string, CatalogUserCredentials>? BeforeRequest { get; set; }

    public void CreateBucket(string name, bool versioned, params string[] accessKeyIds)
    {
        lock (_gate)
        {
            _buckets[name] = new MemoryBucket(name, versioned, accessKeyIds.ToHashSet(StringComparer.Ordinal));
        }
    }

    public MemoryObjectStore StoreFor(CatalogUserCredentials credentials)
    {
        var store = new MemoryObjectStore(this, credentials);
        lock (_gate)
        {
            StoresCreated.Add(store);
        }

        return store;
    }

    /// <summary>What S3 does with a request's signature: refuses expired or revoked credentials (ExpiredToken), records the rest.</summary>
    internal void Authenticate(string operation, string target, AwsTemporaryCredentials credentials)
    {
        var expired = credentials.Expiration <= Clock.GetUtcNow() || RevokedSessions.ContainsKey(credentials.SessionToken);
        Signed.Enqueue((operation, credentials, expired));
        if (expired)
        {
            throw QuiltException.CredentialsRefused(
                $"S3 {operation} on {target} failed: ExpiredToken (HTTP 400): The provided token has expired.",
                $"Check the AWS credentials in use (AWS_PROFILE, AWS_ACCESS_KEY_ID) and that they allow s3:{operation} on {target}.");
        }
    }

    /// <summary>Puts an object; returns its version id (null in an unversioned bucket).</summary>
    public string? Put(string bucket, string key, byte[] content, IReadOnlyDictionary<string, string>? userMetadata = null, string? contentType = null, bool storeSha256 = false)
    {
        lock (_gate)
        {
            var b = _buckets[bucket];
            var version = b.Versioned ? $"v{Interlocked.Increment(ref _versions):D6}" : null;
            var obj = new MemoryObject(
                key,
                version,
                content,
                userMetadata ?? new Dictionary<string, string>(),
                contentType ?? "application/octet-stream",
                "\"" + Convert.ToHexStringLower(MD5.HashData(content)) + "\"",
                DateTimeOffset.Parse("2026-03-04T05:06:07Z", System.Globalization.CultureInfo.InvariantCulture).AddSeconds(_versions),
                storeSha256 ? Convert.ToBase64String(SHA256.HashData(content)) : null);
            if (!b.Objects.TryGetValue(key, out var versions))
            {
                b.Objects[key] = versions = [];
            }

            if (!b.Versioned)
            {
                versions.Clear();
            }

            versions.Add(obj);
            return version;
        }
    }

    /// <summary>Removes every version of an object (a test's setup, not an S3 request).</summary>
    public void Remove(string bucket, string key)
    {
        lock (_gate)
        {
            _buckets[bucket].Objects.Remove(key);
        }
    }

    /// <summary>The quilt hash of some bytes (what a correct hasher computes).</summary>
    public static QuiltHash QuiltHashOf(byte[] content) => ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, content);

    internal MemoryBucket? Bucket(string name, string accessKeyId, out bool denied)
    {
        lock (_gate)
        {
            denied = false;
            if (!_buckets.TryGetValue(name, out var bucket))
            {
                return null;
            }

            denied = !bucket.AccessKeyIds.Contains(accessKeyId);
            return denied ? null : bucket;
        }
    }

    internal T Read<T>(Func<T> action)
    {
        lock (_gate)
        {
            return action();
        }
    }
}

internal sealed record MemoryBucket(string Name, bool Versioned, HashSet<string> AccessKeyIds)
{
    public SortedDictionary<string, List<MemoryObject>> Objects { get; } = new(StringComparer.Ordinal);
}

internal sealed record MemoryObject(
    string Key,
    string? VersionId,
    byte[] Content,
    IReadOnlyDictionary<string, string> UserMetadata,
    string ContentType,
    string ETag,
    DateTimeOffset LastModified,
    string? Sha256);
