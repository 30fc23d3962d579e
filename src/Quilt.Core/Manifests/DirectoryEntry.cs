using Quilt.Core.Json;

namespace Quilt.Core.Manifests;

/// <summary>
/// Metadata of a directory inside a package, written as its own manifest line
/// <c>{"logical_key": "dir/", "meta": …}</c> (quilt-format §2.4). It is not part of the top hash, and quilt3 writes
/// it only when the metadata is truthy.
/// </summary>
/// <param name="LogicalKey">The directory path with a trailing <c>/</c>, for example <c>b/</c> or <c>a/b/</c>.</param>
/// <param name="Meta">The directory's user metadata itself (not wrapped in <c>user_meta</c>).</param>
public sealed record DirectoryEntry(string LogicalKey, QuiltJsonValue Meta);
