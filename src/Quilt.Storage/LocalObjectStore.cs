using System.Buffers;
using System.Runtime.CompilerServices;
using Quilt.Core.Errors;
using Quilt.Core.Hashing;
using Quilt.Core.Naming;

namespace Quilt.Storage;

/// <summary>
/// A local folder standing in for a bucket (the embedded default: no AWS needed). <see cref="ObjectLocation.Bucket"/>
/// is the folder's absolute path and <see cref="ObjectLocation.Key"/> a '/'-separated path below it. Writes go to a
/// temporary file in the same folder and are renamed into place, so a reader never sees half an object.
/// </summary>
public sealed class LocalObjectStore : IObjectStore
{
    private const int ReadChunk = 1024 * 1024;

    /// <inheritdoc />
    public string Scheme => "file";

    /// <inheritdoc />
    public RequestCounter Requests { get; } = new();

    /// <summary>How many chunks of one file are hashed at once.</summary>
    public int HashParallelism { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <inheritdoc />
    public Task<BucketInfo> GetBucketInfoAsync(string bucket, CancellationToken cancellationToken = default)
    {
        Requests.Add("GetBucketInfo");
        return Task.FromResult(new BucketInfo(bucket, Directory.Exists(bucket), IsVersioned: false));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ObjectSummary> ListAsync(string bucket, string prefix, bool latestVersions = false, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Requests.Add("List");
        if (!Directory.Exists(bucket))
        {
            yield break;
        }

        // Start from the deepest folder the prefix names, then filter by the full prefix.
        var folder = prefix.LastIndexOf('/') is var slash and >= 0 ? prefix[..slash] : "";
        var start = Path.Combine(bucket, folder);
        if (!Directory.Exists(start))
        {
            yield break;
        }

        var files = new List<(string Key, FileInfo Info)>();
        foreach (var path in Directory.EnumerateFiles(start, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint }))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = Path.GetRelativePath(bucket, path).Replace(Path.DirectorySeparatorChar, '/');
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                files.Add((key, new FileInfo(path)));
            }
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        foreach (var (key, info) in files)
        {
            yield return new ObjectSummary(key, info.Length, null, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero), null, null, IsFolderMarker: false);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ObjectListPage> ListPageAsync(string bucket, string prefix, string? delimiter, int maxKeys, string? continuationToken, CancellationToken cancellationToken = default)
    {
        var objects = new List<ObjectSummary>();
        var prefixes = new SortedSet<string>(StringComparer.Ordinal);
        string? next = null;
        await foreach (var obj in ListAsync(bucket, prefix, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (continuationToken is not null && string.CompareOrdinal(obj.Key, continuationToken) <= 0)
            {
                continue;
            }

            if (!string.IsNullOrEmpty(delimiter))
            {
                var rest = obj.Key[prefix.Length..];
                var at = rest.IndexOf(delimiter, StringComparison.Ordinal);
                if (at >= 0)
                {
                    prefixes.Add(prefix + rest[..(at + delimiter.Length)]);
                    continue;
                }
            }

            if (objects.Count == maxKeys)
            {
                next = objects[^1].Key;
                break;
            }

            objects.Add(obj);
        }

        return new ObjectListPage(objects, [.. prefixes], next);
    }

    /// <inheritdoc />
    public Task<ObjectMetadata> HeadAsync(ObjectLocation location, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(location);
        Requests.Add("Head");
        var info = new FileInfo(PathOf(location));
        if (!info.Exists)
        {
            throw QuiltException.NotFound($"{ToPhysicalKey(location)} does not exist.", "Check the path.");
        }

        return Task.FromResult(Metadata(location, info));
    }

    /// <inheritdoc />
    public async Task<byte[]?> TryReadAllBytesAsync(ObjectLocation location, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(location);
        Requests.Add("Read");
        var path = PathOf(location);
        if (!File.Exists(path))
        {
            return null;
        }

        return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(ObjectLocation location, long offset = 0, long? length = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(location);
        Requests.Add("Read");
        var path = PathOf(location);
        if (!File.Exists(path))
        {
            throw QuiltException.NotFound($"{ToPhysicalKey(location)} does not exist.", "Check the path.");
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        stream.Seek(offset, SeekOrigin.Begin);
        return Task.FromResult<Stream>(length is null ? stream : new Internal.BoundedStream(stream, length.Value));
    }

    /// <inheritdoc />
    public async Task<ObjectHashResult> HashAsync(ObjectLocation location, HashingOptions options, CancellationToken cancellationToken = default)
    {
        var metadata = await HeadAsync(location, cancellationToken).ConfigureAwait(false);
        var path = PathOf(location);
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
        var hash = await ObjectHasher.ComputeChunkedAsync(
            metadata.Size,
            async (offset, length, token) =>
            {
                var buffer = new byte[length];
                var read = 0;
                while (read < length)
                {
                    var n = await RandomAccess.ReadAsync(handle, buffer.AsMemory(read), offset + read, token).ConfigureAwait(false);
                    if (n == 0)
                    {
                        break;
                    }

                    read += n;
                }

                return buffer.AsMemory(0, read);
            },
            HashParallelism,
            cancellationToken).ConfigureAwait(false);
        return new ObjectHashResult(hash, HashStep.LocalRead, metadata);
    }

    /// <inheritdoc />
    public async Task<CopyResult> CopyAsync(ObjectLocation source, ObjectLocation destination, CopyOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        Requests.Add("Copy");
        var from = PathOf(source);
        if (!File.Exists(from))
        {
            throw QuiltException.NotFound($"{ToPhysicalKey(source)} does not exist.", "Check the path.");
        }

        var to = PathOf(destination);
        var temp = TempPathFor(to);
        try
        {
            var input = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.Read, ReadChunk, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (input.ConfigureAwait(false))
            {
                var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, ReadChunk, FileOptions.Asynchronous);
                await using (output.ConfigureAwait(false))
                {
                    await input.CopyToAsync(output, ReadChunk, cancellationToken).ConfigureAwait(false);
                }
            }

            File.Move(temp, to, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        return new CopyResult(destination, new FileInfo(to).Length, null);
    }

    /// <inheritdoc />
    public async Task<ObjectLocation> PutAsync(ObjectLocation destination, ReadOnlyMemory<byte> content, string? contentType = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Requests.Add("Put");
        var to = PathOf(destination);
        var temp = TempPathFor(to);
        try
        {
            await File.WriteAllBytesAsync(temp, content.ToArray(), cancellationToken).ConfigureAwait(false);
            File.Move(temp, to, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        return destination;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<(ObjectLocation Location, string Error)>> DeleteAsync(IReadOnlyList<ObjectLocation> locations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(locations);
        var failures = new List<(ObjectLocation, string)>();
        foreach (var location in locations)
        {
            Requests.Add("Delete");
            try
            {
                var path = PathOf(location);
                File.Delete(path);
                RemoveEmptyFolders(location.Bucket, Path.GetDirectoryName(path));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or QuiltException)
            {
                failures.Add((location, e.Message));
            }
        }

        return Task.FromResult<IReadOnlyList<(ObjectLocation Location, string Error)>>(failures);
    }

    /// <inheritdoc />
    public string ToPhysicalKey(ObjectLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return PhysicalKey.Local(PathOf(location)).ToString();
    }

    /// <inheritdoc />
    public Uri Presign(ObjectLocation location, bool forUpload, TimeSpan expiresIn) =>
        throw QuiltException.Unsupported("Presigned URLs exist only for S3 objects.", "Use an s3:// location.");

    private static ObjectMetadata Metadata(ObjectLocation location, FileInfo info) => new(
        location,
        info.Length,
        null,
        new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero),
        Internal.LocalContentTypes.For(info.Name),
        null,
        new Dictionary<string, string>(),
        ObjectChecksums.None);

    private static string PathOf(ObjectLocation location)
    {
        if (!Path.IsPathRooted(location.Bucket))
        {
            throw QuiltException.InvalidInput($"'{location.Bucket}' is not an absolute folder path.");
        }

        var key = location.Key;
        if (key.Split('/').Any(part => part is ".." or "."))
        {
            throw QuiltException.InvalidInput($"The key '{key}' leaves its folder ('.' or '..' segments are not allowed).");
        }

        return key.Length == 0 ? location.Bucket : Path.Combine(location.Bucket, key.Replace('/', Path.DirectorySeparatorChar));
    }

    private static string TempPathFor(string target)
    {
        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
    }

    private static void RemoveEmptyFolders(string root, string? folder)
    {
        var top = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        while (folder is not null && folder.Length > top.Length && folder.StartsWith(top, StringComparison.Ordinal)
               && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
            folder = Path.GetDirectoryName(folder);
        }
    }
}
