using Quilt.Core.Json.Internal;

namespace Quilt.Core.Manifests.Internal;

/// <summary>
/// Writes an entry's <c>hash</c> and <c>size</c> values for the manifest line and for the top hash: the common case
/// (a plain hash object, an integer size) without building JSON values, anything else as the value read.
/// </summary>
internal static class EntryFields
{
    public static void WriteHash(ByteBuffer buffer, ManifestEntry entry, bool canonical)
    {
        if (entry.PlainHash is { } hash)
        {
            JsonEmitter.WriteHashObject(buffer, hash.Type, hash.Value, canonical);
        }
        else
        {
            JsonEmitter.Write(buffer, entry.HashValue, canonical);
        }
    }

    public static void WriteSize(ByteBuffer buffer, ManifestEntry entry, bool canonical)
    {
        if (entry.PlainSize is { } size)
        {
            JsonEmitter.WriteInteger(buffer, size);
        }
        else
        {
            JsonEmitter.Write(buffer, entry.SizeValue, canonical);
        }
    }
}
