namespace Quilt.Storage.Internal;

/// <summary>What a listing needs of a file: size and modification time (UTC).</summary>
internal readonly record struct LocalFile(long Length, DateTime LastWriteUtc);
