using System.Text;
using Quilt.Core.Errors;
using Quilt.Core.Json;
using Quilt.Core.Manifests;
using Quilt.Packaging.Registry;

namespace Quilt.Packaging.Internal;

/// <summary>
/// Limits checked before the first write (DESIGN.md §3, validation): S3 keys of at most 1,024 UTF-8 bytes for every
/// object and pointer the run will write, and a header line (metadata, message and workflow) within quilt3's record
/// limit. Checked at commit, they would fail a run only after all its copies.
/// </summary>
internal static class WriteLimits
{
    /// <summary>S3's (and quilt3's) longest key, in UTF-8 bytes.</summary>
    public const int MaxKeyBytes = 1024;

    /// <summary>The longest file or folder name most file systems take (NAME_MAX), in UTF-8 bytes: a local registry's limit.</summary>
    public const int MaxLocalNameBytes = 255;

    /// <summary>A timestamp pointer's name is Unix seconds; ten digits last until 2286.</summary>
    private const string LongestPointer = "9999999999";

    public static void Check(CreationPlan plan, QuiltJsonObject header)
    {
        var pointerKey = PackageRegistry.PointerKey(plan.Name, LongestPointer);
        var pointerBytes = Encoding.UTF8.GetByteCount(pointerKey);
        if (pointerBytes > MaxKeyBytes)
        {
            throw QuiltException.InvalidInput(
                $"The package name {Shorten(plan.Name.ToString())} is too long: its pointers' keys would be {pointerBytes:N0} bytes, and S3 keys hold at most {MaxKeyBytes:N0}.",
                $"Use a name of at most {MaxKeyBytes - (pointerBytes - Encoding.UTF8.GetByteCount(plan.Name.ToString())):N0} bytes.");
        }

        if (plan.Registry.Store.Scheme == "file" && LongestName(pointerKey) is { Length: > 0 } name)
        {
            throw QuiltException.InvalidInput(
                $"The package name {Shorten(plan.Name.ToString())} is too long for a local registry: the folder name {Shorten(name)} is {Encoding.UTF8.GetByteCount(name):N0} bytes, and file systems take at most {MaxLocalNameBytes}.",
                $"Use a namespace and name of at most {MaxLocalNameBytes} bytes each.");
        }

        var tooLong = plan.Items.Where(i => i.CopyTo is not null && Encoding.UTF8.GetByteCount(i.CopyTo.Key) > MaxKeyBytes).ToList();
        if (tooLong.Count > 0)
        {
            throw QuiltException.InvalidInput(
                $"{tooLong.Count:N0} object(s) would be copied to keys longer than S3's {MaxKeyBytes:N0} bytes, e.g. {Shorten(tooLong[0].CopyTo!.Key)} ({Encoding.UTF8.GetByteCount(tooLong[0].CopyTo!.Key):N0} bytes).",
                "Use a shorter package name or prefix, keep the objects in place (no copy), or flatten the layout.");
        }

        byte[] bytes;
        try
        {
            bytes = ManifestWriter.Write(Manifest.Create(header, []), int.MaxValue);
        }
        catch (QuiltException e) when (e.Kind == QuiltErrorKind.InvalidInput)
        {
            throw new QuiltException(QuiltErrorKind.InvalidInput, $"The package header cannot be written: {e.Message}", "Remove NaN, infinite numbers and lone surrogates from the metadata and message.", e);
        }

        var length = bytes.Length - 1;
        if (length > ManifestWriter.DefaultMaxRecordSize)
        {
            throw QuiltException.InvalidInput(
                $"The package header (metadata, message and workflow) is {length:N0} bytes; quilt3 reads header lines of at most {ManifestWriter.DefaultMaxRecordSize:N0}.",
                "Keep metadata and the message small (put large documents in the package as files).");
        }
    }

    /// <summary>The first path segment longer than a file system allows, or empty when there is none.</summary>
    private static string LongestName(string key) =>
        key.Split('/').FirstOrDefault(segment => Encoding.UTF8.GetByteCount(segment) > MaxLocalNameBytes) ?? "";

    private static string Shorten(string text) => text.Length <= 80 ? $"'{text}'" : $"'{text[..60]}…' ({text.Length:N0} characters)";
}
