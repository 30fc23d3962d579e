namespace Quilt.Storage;

/// <summary>Which step of the hash-and-metadata ladder (DESIGN.md §3 step 3) produced an entry's hash.</summary>
public enum HashStep
{
    /// <summary>(a) A small object read with one GET and hashed in memory.</summary>
    SmallObjectGet,

    /// <summary>(b) A checksum S3 already stores for the object, converted exactly.</summary>
    StoredChecksum,

    /// <summary>(c) The checksum returned by the copy this run made anyway.</summary>
    CopyChecksum,

    /// <summary>(d) A scratch multipart upload with UploadPartCopy per chunk, then aborted.</summary>
    ScratchMultipartCopy,

    /// <summary>(e) Ranged GETs per chunk, hashed as they stream.</summary>
    RangedGet,

    /// <summary>A local file read and hashed.</summary>
    LocalRead,
}
