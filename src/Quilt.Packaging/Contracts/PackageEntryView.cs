using Quilt.Core.Json;

namespace Quilt.Packaging.Contracts;

/// <summary>One entry of a package as browse and diff show it.</summary>
/// <param name="LogicalKey">Path in the package.</param>
/// <param name="PhysicalKey">Where the bytes are.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="HashType">Hash type.</param>
/// <param name="HashValue">Hash value.</param>
/// <param name="Meta">Entry metadata (<c>user_meta</c>, <c>s3</c>, …).</param>
public sealed record PackageEntryView(string LogicalKey, string PhysicalKey, long Size, string HashType, string HashValue, QuiltJsonValue Meta);
