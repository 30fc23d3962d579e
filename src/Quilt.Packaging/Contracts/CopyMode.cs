namespace Quilt.Packaging.Contracts;

/// <summary>Which objects a package creation copies into the target bucket.</summary>
public enum CopyMode
{
    /// <summary>Copy objects that are not already in the target bucket (quilt3 ≥ 7 behaviour).</summary>
    Auto,

    /// <summary>Copy every object into the target bucket under <c>namespace/name/logical_key</c>.</summary>
    All,

    /// <summary>Reference every object where it is (version pinned); copy nothing.</summary>
    None,
}
