using Quilt.Storage;

namespace Quilt.Packaging.Pipeline;

/// <summary>The snake_case names results use for ladder steps (<c>hashes_by_step</c>), shared by direct and catalog mode.</summary>
public static class HashStepNames
{
    /// <summary>The result name of <paramref name="step"/>.</summary>
    public static string Of(HashStep step) => step switch
    {
        HashStep.SmallObjectGet => "small_object_get",
        HashStep.StoredChecksum => "stored_checksum",
        HashStep.CopyChecksum => "copy_checksum",
        HashStep.ScratchMultipartCopy => "scratch_multipart_copy",
        HashStep.RangedGet => "ranged_get",
        _ => "local_read",
    };
}
