using Quilt.Core.Errors;

namespace Quilt.Storage.Internal;

/// <summary>The typed errors of a <see cref="LocalObjectStore"/>, worded with the folder and key.</summary>
internal static class LocalErrors
{
    /// <summary>A conditional write refused because the file changed (or exists) under the writer.</summary>
    public static QuiltException Refused(ObjectLocation location, string why) =>
        QuiltException.Conflict(
            $"{location.Key} in {location.Bucket} was not written: it {why}.",
            "Another writer changed it; read it again and retry.");

    /// <summary>The file at <paramref name="path"/>; a missing one is <see cref="QuiltErrorKind.NotFound"/>.</summary>
    public static FileInfo ExistingFile(string path, ObjectLocation location)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw QuiltException.NotFound(
                $"{location.Key} does not exist in {location.Bucket}.",
                "Check the path; list the folder to see what exists.");
        }

        return file;
    }

    /// <summary>A file-system failure: permissions are <see cref="QuiltErrorKind.AccessDenied"/>, the rest may pass on retry.</summary>
    public static QuiltException Failure(string action, ObjectLocation location, Exception e) =>
        e is UnauthorizedAccessException
            ? QuiltException.AccessDenied($"Could not {action} {location.Key} in {location.Bucket}: {e.Message}", "Check the file permissions.", e)
            : new QuiltException(
                QuiltErrorKind.Transient,
                $"Could not {action} {location.Key} in {location.Bucket}: {e.Message}",
                "Check that no file stands where a folder is expected and that the disk has space, then retry.",
                e);
}
