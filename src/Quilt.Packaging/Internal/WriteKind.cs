namespace Quilt.Packaging.Internal;

/// <summary>What a journaled write creates, which decides how a rollback treats it.</summary>
internal enum WriteKind
{
    /// <summary>A copied data object under the package's prefix.</summary>
    Data,

    /// <summary>A copy onto a key that held an object before the run (unversioned target): never removed, reported.</summary>
    Overwrite,

    /// <summary>The manifest, named by its top hash.</summary>
    Manifest,

    /// <summary>A timestamp pointer.</summary>
    Pointer,

    /// <summary>The <c>latest</c> pointer: the commit point.</summary>
    Latest,
}
