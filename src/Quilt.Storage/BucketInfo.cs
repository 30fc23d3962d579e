namespace Quilt.Storage;

/// <summary>What a store knows about a bucket (or the folder standing in for one).</summary>
/// <param name="Name">Bucket name or folder path.</param>
/// <param name="Exists">Whether it exists and is reachable with the credentials in use.</param>
/// <param name="IsVersioned">Whether versioning is enabled (objects get version ids).</param>
/// <param name="IsVersioningSuspended">
/// Whether versioning was enabled once and is now suspended: new writes get the version id <c>null</c>, older versions stay.
/// </param>
/// <param name="IsVersioningKnown">
/// False when the bucket exists but its versioning could not be read (a credential that may list and read objects but
/// not ask GetBucketVersioning): callers then treat it as unversioned and take version ids from object responses.
/// </param>
public sealed record BucketInfo(string Name, bool Exists, bool IsVersioned, bool IsVersioningSuspended = false, bool IsVersioningKnown = true)
{
    /// <summary>Whether objects written now or earlier may carry version ids (enabled, or suspended after being enabled).</summary>
    public bool KeepsVersions => IsVersioned || IsVersioningSuspended;
}
