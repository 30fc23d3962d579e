namespace Quilt.Storage;

/// <summary>
/// Told about every multipart upload a store starts on a caller's behalf (copies, scratch uploads for hashing), so that
/// a journal can abort the ones a crash or a cancellation leaves open.
/// </summary>
public interface IUploadObserver
{
    /// <summary>An upload was created; it holds parts (and costs storage) until completed or aborted.</summary>
    void UploadStarted(MultipartUpload upload);

    /// <summary>The upload was completed or aborted.</summary>
    void UploadEnded(MultipartUpload upload);
}
