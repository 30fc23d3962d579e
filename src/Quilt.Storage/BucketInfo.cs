namespace Quilt.Storage;

/// <summary>What a store knows about a bucket (or the folder standing in for one).</summary>
/// <param name="Name">Bucket name or folder path.</param>
/// <param name="Exists">Whether it exists and is reachable with the credentials in use.</param>
/// <param name="IsVersioned">Whether versioning is enabled (objects get version ids).</param>
public sealed record BucketInfo(string Name, bool Exists, bool IsVersioned);
