namespace Quilt.Core.Errors;

/// <summary>
/// The request field an error is about, in the libraries' own terms. Shells map it to their spelling (the CLI's
/// <c>--flatten</c>, the MCP tool's <c>preserve_structure</c>), so library messages never name a shell's parameter.
/// </summary>
public enum QuiltInputField
{
    /// <summary>Not about one field.</summary>
    None,

    /// <summary>Whether logical keys keep the folders below the source prefix.</summary>
    PreserveStructure,

    /// <summary>The explicit list of objects to package.</summary>
    Files,

    /// <summary>The page size of a listing.</summary>
    MaxKeys,

    /// <summary>What to copy into the target bucket (auto, all, none).</summary>
    Copy,

    /// <summary>The bucket copies go to.</summary>
    TargetBucket,

    /// <summary>How long a presigned URL stays valid.</summary>
    ExpiresIn,
}
