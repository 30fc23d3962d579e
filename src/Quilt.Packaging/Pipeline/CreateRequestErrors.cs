using Quilt.Core.Errors;

namespace Quilt.Packaging.Pipeline;

/// <summary>
/// The checks on a create request that both modes make, with one wording in the library's terms; each carries a
/// typed reason and field so the shells can name their own parameter.
/// </summary>
public static class CreateRequestErrors
{
    /// <summary>A package from an explicit file list was asked for with an empty list.</summary>
    public static QuiltException FilesRequired() => QuiltException.InvalidInput(
        QuiltErrorReason.FilesRequired,
        QuiltInputField.Files,
        "Package creation requires a list of files: S3 object locations (s3://bucket/key).",
        "Upload the files first (a presigned upload URL lets a client PUT them), then pass their s3:// URIs; or create the package from a whole prefix instead.");

    /// <summary>One object appears twice in a file list.</summary>
    public static QuiltException ListedTwice(object file) => QuiltException.InvalidInput(
        QuiltErrorReason.DuplicateFile,
        QuiltInputField.Files,
        $"'{file}' is listed twice.",
        "List each object once.");
}
