namespace Quilt.Core.Selection;

/// <summary>
/// A logical key that is a file and also a folder of another key (<c>a</c> and <c>a/b</c>): quilt3 cannot load
/// such a manifest, so the plan must not contain both.
/// </summary>
/// <param name="FileKey">The logical key used as a file.</param>
/// <param name="FileSourceKey">The source key of that file.</param>
/// <param name="NestedKey">A logical key below it (the first one seen).</param>
/// <param name="NestedSourceKey">The source key of that nested entry.</param>
public sealed record PathConflict(string FileKey, string FileSourceKey, string NestedKey, string NestedSourceKey);
