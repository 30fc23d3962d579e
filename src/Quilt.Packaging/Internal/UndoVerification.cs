using Quilt.Storage;

namespace Quilt.Packaging.Internal;

/// <summary>
/// The proof after a rollback: lists what it meant to remove (objects, versions, multipart uploads) and names whatever
/// is still there. Changes when the listing strategy does, not when what to delete does.
/// </summary>
internal static class UndoVerification
{
    /// <summary>Up to this many keys are listed one by one; more are listed under their common prefix.</summary>
    private const int PerKeyListingLimit = 64;

    /// <summary>Lists what the rollback meant to remove: whatever is still there is a leftover, named by its physical key.</summary>
    public static async Task<HashSet<string>> LeftoversAsync(IObjectStore store, List<UndoTarget> doomed, IReadOnlyList<MultipartUpload> uploads, CancellationToken cancellationToken)
    {
        var leftovers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in doomed.GroupBy(d => d.Location.Bucket, StringComparer.Ordinal))
        {
            var keys = group.Select(d => d.Location.Key).Distinct(StringComparer.Ordinal).ToList();
            var prefixes = ListingPrefixes(keys);
            var present = new Dictionary<string, List<ObjectVersion>>(StringComparer.Ordinal);
            var wanted = keys.ToHashSet(StringComparer.Ordinal);
            foreach (var prefix in prefixes)
            {
                await foreach (var version in store.ListVersionsAsync(group.Key, prefix, cancellationToken).ConfigureAwait(false))
                {
                    if (!wanted.Contains(version.Key) || version.IsDeleteMarker)
                    {
                        continue;
                    }

                    if (!present.TryGetValue(version.Key, out var list))
                    {
                        present[version.Key] = list = [];
                    }

                    list.Add(version);
                }
            }

            foreach (var d in group)
            {
                if (!present.TryGetValue(d.Location.Key, out var versions))
                {
                    continue;
                }

                var still = d.Location.VersionId is not null
                    ? versions.Any(v => v.VersionId == d.Location.VersionId)
                    : versions.Any(v => v.IsLatest && v.ETag == d.ETag);
                if (still)
                {
                    leftovers.Add(store.ToPhysicalKey(d.Location));
                }
            }
        }

        foreach (var group in uploads.GroupBy(u => (u.Bucket, u.Key)))
        {
            var open = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var upload in store.ListUploadsAsync(group.Key.Bucket, group.Key.Key, cancellationToken).ConfigureAwait(false))
            {
                open.Add(upload.UploadId);
            }

            foreach (var upload in group.Where(u => open.Contains(u.UploadId)))
            {
                leftovers.Add($"upload {upload.UploadId} of {store.ToPhysicalKey(new ObjectLocation(upload.Bucket, upload.Key))}");
            }
        }

        return leftovers;
    }

    /// <summary>The prefixes to list to see every key: each key itself, or, past the limit, their common prefix.</summary>
    public static List<string> ListingPrefixes(List<string> keys) => keys.Count <= PerKeyListingLimit ? keys : [CommonPrefix(keys)];

    private static string CommonPrefix(List<string> keys)
    {
        var prefix = keys[0];
        foreach (var key in keys)
        {
            var n = 0;
            while (n < prefix.Length && n < key.Length && prefix[n] == key[n])
            {
                n++;
            }

            prefix = prefix[..n];
        }

        return prefix;
    }
}
