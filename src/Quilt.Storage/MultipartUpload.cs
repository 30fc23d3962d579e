namespace Quilt.Storage;

/// <summary>A multipart upload that was started and neither completed nor aborted.</summary>
/// <param name="Bucket">The bucket.</param>
/// <param name="Key">The key the upload would create.</param>
/// <param name="UploadId">The upload's id.</param>
/// <param name="Initiated">When it was started, when the store reports it.</param>
public sealed record MultipartUpload(string Bucket, string Key, string UploadId, DateTimeOffset? Initiated);
