namespace Quilt.Packaging.Contracts;

/// <summary>An object's hash and how it was obtained (<c>quilt-mcp hash</c>).</summary>
/// <param name="Uri">The object.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="HashType">Hash type.</param>
/// <param name="HashValue">Hash value.</param>
/// <param name="Step">Ladder step that produced it.</param>
/// <param name="Requests">Requests made.</param>
public sealed record ObjectHashView(string Uri, long Size, string HashType, string HashValue, string Step, RequestCounts Requests);
