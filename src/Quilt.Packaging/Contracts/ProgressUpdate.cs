namespace Quilt.Packaging.Contracts;

/// <summary>A progress report: the phase (<c>listing</c>, <c>hashing</c>, <c>copying</c>, <c>committing</c>) and counts.</summary>
/// <param name="Phase">The current phase.</param>
/// <param name="ObjectsDone">Objects finished in this phase.</param>
/// <param name="ObjectsTotal">Objects to do in this phase; null while unknown (listing).</param>
/// <param name="BytesDone">Bytes finished.</param>
/// <param name="BytesTotal">Bytes to do; null while unknown.</param>
public sealed record ProgressUpdate(string Phase, long ObjectsDone, long? ObjectsTotal, long BytesDone, long? BytesTotal);
