using System.Globalization;
using System.Runtime.CompilerServices;
using Quilt.Core.Errors;
using Quilt.Core.Hashing;
using Quilt.Core.Naming;
using Quilt.Storage.Internal;
using static Quilt.Storage.Internal.LocalErrors;
using static Quilt.Storage.Internal.LocalFiles;
using static Quilt.Storage.Internal.LocalPaths;

namespace Quilt.Storage;

/// <summary>
/// <see cref="IObjectStore"/> over the local file system: a folder stands in for a bucket
/// (<see cref="ObjectLocation.Bucket"/> is its absolute path) and keys are '/'-separated paths below it. It lets
/// local registries and tests use the same code paths as S3. Writes are atomic (temporary file, then rename); keys
/// that would leave the folder are refused. Operations are counted under S3's names so summaries read alike.
/// </summary>
public sealed class LocalObjectStore : IObjectStore
{
    private const int PageSize = 1000;
    private const int HashBufferSize = 256 * 1024;

    /// <inheritdoc/>
    public string Scheme => "file";

    /// <inheritdoc/>
    public RequestCounter Requests { get; } = new();

    /// <summary>Chunks read and hashed at once by <see cref="HashAsync"/>.</summary>
    public int HashParallelism { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <inheritdoc/>
    public Task<BucketInfo> GetBucketInfoAsync(string bucket, CancellationToken cancellationToken = default)
    {
        var root = Root(bucket);
        cancellationToken.ThrowIfCancellationRequested();
        Requests.Add("GetBucketVersioning");
        return Task.FromResult(new BucketInfo(root, Directory.Exists(root), false));
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<ObjectSummary> ListAsync(string bucket, string prefix, bool latestVersions = false, CancellationToken cancellationToken = default)
    {
        var root = ExistingRoot(bucket);
        ArgumentNullException.ThrowIfNull(prefix);
        return ListCoreAsync(root, prefix, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<ObjectListPage> ListPageAsync(string bucket, string prefix, string? delimiter, int maxKeys, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var root = ExistingRoot(bucket);
        ArgumentNullException.ThrowIfNull(prefix);
        if (maxKeys < 1)
        {
            throw QuiltException.InvalidInput($"maxKeys must be at least 1, not {maxKeys}.", "Ask for 1 to 1000 keys per page.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        Requests.Add("ListObjectsV2");
        var objects = new Dictionary<string, LocalFile>(StringComparer.Ordinal);
        var prefixes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, file) in Enumerate(root, prefix))
        {
            var rest = key[prefix.Length..];
            var cut = string.IsNullOrEmpty(delimiter) ? -1 : rest.IndexOf(delimiter, StringComparison.Ordinal);
            if (cut >= 0)
            {
                prefixes.Add(prefix + rest[..(cut + delimiter!.Length)]);
            }
            else
            {
                objects[key] = file;
            }
        }

        var names = objects.Keys.Concat(prefixes).Order(StringComparer.Ordinal)
            .SkipWhile(n => continuationToken is not null && string.CompareOrdinal(n, continuationToken) <= 0)
            .ToList();
        var page = names.Take(Math.Min(maxKeys, PageSize)).ToList();
        return Task.FromResult(new ObjectListPage(
            [.. page.Where(objects.ContainsKey).Select(n => Summary(n, objects[n]))],
            [.. page.Where(prefixes.Contains)],
            names.Count > page.Count ? page[^1] : null));
    }

    /// <inheritdoc/>
    public Task<ObjectMetadata> HeadAsync(ObjectLocation location, CancellationToken cancellationToken = default)
    {
        var path = Resolve(location);
        cancellationToken.ThrowIfCancellationRequested();
        Requests.Add("HeadObject");
        return Task.FromResult(Metadata(location, ExistingFile(path, location)));
    }

    /// <inheritdoc/>
    public async Task<byte[]?> TryReadAllBytesAsync(ObjectLocation location, CancellationToken cancellationToken = default)
    {
        var path = Resolve(location);
        Requests.Add("GetObject");
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or PathTooLongException)
        {
            return null; // a path too long for the file system names no file either
        }
        catch (UnauthorizedAccessException) when (Directory.Exists(path))
        {
            return null; // a folder, not an object
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure("read", location, e);
        }
    }

    /// <inheritdoc/>
    public Task<Stream> OpenReadAsync(ObjectLocation location, long offset = 0, long? length = null, CancellationToken cancellationToken = default)
    {
        var path = Resolve(location);
        if (offset < 0 || length < 0)
        {
            throw QuiltException.InvalidInput($"Invalid range: offset {offset}, length {length}.", "Use a non-negative offset and length.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        ExistingFile(path, location);
        Requests.Add("GetObject");
        try
        {
            var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.Read, Options = FileOptions.Asynchronous });
            stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
            return Task.FromResult<Stream>(new BoundedReadStream(stream, length ?? long.MaxValue));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure("open", location, e);
        }
    }

    /// <inheritdoc/>
    public async Task<ObjectHashResult> HashAsync(ObjectLocation location, HashingOptions options, CancellationToken cancellationToken = default)
    {
        var path = Resolve(location);
        ArgumentNullException.ThrowIfNull(options);
        var metadata = Metadata(location, ExistingFile(path, location));
        Requests.Add("GetObject");
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
            var size = RandomAccess.GetLength(handle);
            // Small pooled buffers, not whole chunks: with 32 files hashed at once, 8 MiB chunks per core would hold gigabytes.
            var hash = await ObjectHasher.ComputeChunkedAsync(
                size,
                (offset, buffer, ct) => RandomAccess.ReadAsync(handle, buffer, offset, ct),
                HashParallelism,
                HashBufferSize,
                cancellationToken).ConfigureAwait(false);
            return new ObjectHashResult(hash, HashStep.LocalRead, metadata with { Size = size });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure("hash", location, e);
        }
    }

    /// <inheritdoc/>
    public async Task<CopyResult> CopyAsync(ObjectLocation source, ObjectLocation destination, CopyOptions options, CancellationToken cancellationToken = default)
    {
        var from = Resolve(source);
        var to = Resolve(destination);
        ArgumentNullException.ThrowIfNull(options);
        var info = ExistingFile(from, source);
        Requests.Add("CopyObject");
        try
        {
            using var hasher = ObjectHasher.Create(QuiltHashTypes.Sha256Chunked, info.Length);
            var copied = await CopyFileAsync(from, to, info.Length, hasher, cancellationToken).ConfigureAwait(false);
            // A source that changed size while it was copied gets no hash: the hasher was sized for the old length.
            return new CopyResult(destination with { VersionId = null }, copied, copied == info.Length ? hasher.Finish() : null, LocalETag(new FileInfo(to)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure("copy", source, e);
        }
    }

    /// <inheritdoc/>
    public async Task<ObjectLocation> PutAsync(ObjectLocation destination, ReadOnlyMemory<byte> content, string? contentType = null, CancellationToken cancellationToken = default)
    {
        var path = Resolve(destination);
        Requests.Add("PutObject");
        try
        {
            await WriteAtomicallyAsync(path, (output, ct) => output.WriteAsync(content, ct).AsTask(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure("write", destination, e);
        }

        return destination with { VersionId = null };
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A folder has no ETags: the store stands one in from size and modification time, which changes with every write.
    /// The create-only condition is atomic (a rename that refuses to replace); replace-only-while-unchanged compares
    /// first and is atomic only against writers that go through this store one at a time.
    /// </remarks>
    public async Task<WrittenObject> PutAsync(ObjectLocation destination, ReadOnlyMemory<byte> content, PutOptions options, CancellationToken cancellationToken = default)
    {
        var path = Resolve(destination);
        ArgumentNullException.ThrowIfNull(options);
        Requests.Add("PutObject");
        if (options.IfMatchETag is { } expected)
        {
            var current = File.Exists(path) ? LocalETag(new FileInfo(path)) : null;
            if (!string.Equals(current, expected, StringComparison.Ordinal))
            {
                throw Refused(destination, current is null ? "no longer exists" : "changed since it was read");
            }
        }

        try
        {
            await WriteAtomicallyAsync(path, (output, ct) => output.WriteAsync(content, ct).AsTask(), cancellationToken, replace: !options.IfNoneMatch).ConfigureAwait(false);
        }
        catch (IOException) when (options.IfNoneMatch && File.Exists(path))
        {
            throw Refused(destination, "already exists");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure("write", destination, e);
        }

        return new WrittenObject(destination with { VersionId = null }, LocalETag(new FileInfo(path)));
    }

    /// <inheritdoc/>
    public Task<DeleteOutcome> DeleteIfMatchAsync(ObjectLocation location, string etag, CancellationToken cancellationToken = default)
    {
        var path = Resolve(location);
        cancellationToken.ThrowIfCancellationRequested();
        Requests.Add("DeleteObject");
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return Task.FromResult(DeleteOutcome.Absent);
        }

        if (!string.Equals(LocalETag(file), etag, StringComparison.Ordinal))
        {
            return Task.FromResult(DeleteOutcome.Changed);
        }

        try
        {
            File.Delete(path);
            RemoveEmptyParents(Root(location.Bucket), Path.GetDirectoryName(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure("delete", location, e);
        }

        return Task.FromResult(DeleteOutcome.Deleted);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ObjectVersion> ListVersionsAsync(string bucket, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var root = Root(bucket);
        ArgumentNullException.ThrowIfNull(prefix);
        if (!Directory.Exists(root))
        {
            yield break;
        }

        await foreach (var summary in ListCoreAsync(root, prefix, cancellationToken).ConfigureAwait(false))
        {
            var etag = LocalETag(summary.Size, summary.LastModified!.Value.UtcDateTime);
            yield return new ObjectVersion(summary.Key, null, etag, summary.Size, summary.LastModified, IsLatest: true, IsDeleteMarker: false);
        }
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<MultipartUpload> ListUploadsAsync(string bucket, string prefix, CancellationToken cancellationToken = default) =>
        AsyncEnumerable.Empty<MultipartUpload>();

    /// <inheritdoc/>
    public Task AbortUploadAsync(MultipartUpload upload, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task<IReadOnlyList<(ObjectLocation Location, string Error)>> DeleteAsync(IReadOnlyList<ObjectLocation> locations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(locations);
        var failures = new List<(ObjectLocation, string)>();
        for (var i = 0; i < locations.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (i % PageSize == 0)
            {
                Requests.Add("DeleteObjects");
            }

            var location = locations[i];
            try
            {
                var path = Resolve(location);
                if (File.Exists(path))
                {
                    File.Delete(path);
                    RemoveEmptyParents(Root(location.Bucket), Path.GetDirectoryName(path));
                }
            }
            catch (QuiltException e)
            {
                failures.Add((location, e.Message));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failures.Add((location, e.Message));
            }
        }

        return Task.FromResult<IReadOnlyList<(ObjectLocation, string)>>(failures);
    }

    /// <inheritdoc/>
    public string ToPhysicalKey(ObjectLocation location) => PhysicalKey.Local(RealPath(Resolve(location), 0)).ToString();

    /// <inheritdoc/>
    public Uri Presign(ObjectLocation location, bool forUpload, TimeSpan expiresIn) =>
        throw QuiltException.Unsupported(
            $"A local folder ({location?.Bucket}) cannot hand out presigned URLs.",
            "Use an s3:// location for presigned URLs, or read the file directly.");

    private async IAsyncEnumerable<ObjectSummary> ListCoreAsync(string root, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        var entries = Enumerate(root, prefix).OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        for (var i = 0; i < Math.Max(1, entries.Count); i += PageSize)
        {
            Requests.Add("ListObjectsV2");
        }

        foreach (var (key, file) in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return Summary(key, file);
        }
    }

    private static ObjectSummary Summary(string key, LocalFile file) =>
        new(key, file.Length, null, new DateTimeOffset(file.LastWriteUtc, TimeSpan.Zero), null, null, false);

    private static ObjectMetadata Metadata(ObjectLocation location, FileInfo file) =>
        new(
            location with { VersionId = null },
            file.Length,
            LocalETag(file), // what conditional writes and deletes compare with
            new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero),
            ContentTypes.Guess(location.Key),
            null,
            new Dictionary<string, string>(StringComparer.Ordinal),
            ObjectChecksums.None);

    /// <summary>The stand-in ETag of a file: its size and modification time, quoted as S3 quotes ETags.</summary>
    internal static string LocalETag(FileInfo file) => LocalETag(file.Length, file.LastWriteTimeUtc);

    private static string LocalETag(long length, DateTime lastWriteUtc) =>
        string.Create(CultureInfo.InvariantCulture, $"\"{length:x}-{lastWriteUtc.Ticks:x}\"");
}
