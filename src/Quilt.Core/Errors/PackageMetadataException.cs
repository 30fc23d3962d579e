namespace Quilt.Core.Errors;

/// <summary>
/// Package or entry metadata broke a rule of <see cref="Manifests.PackageMetadataRules"/>; always of kind
/// <see cref="QuiltErrorKind.InvalidInput"/>. <see cref="Violation"/> says which rule, <see cref="JsonPath"/> where
/// (for example <c>$.runs[2].score</c>), so callers decide by type and reason, never by message text.
/// </summary>
public sealed class PackageMetadataException : QuiltException
{
    /// <summary>Creates an exception; prefer the named factory methods.</summary>
    public PackageMetadataException(PackageMetadataViolation violation, string message, string? hint, string? jsonPath = null, string? logicalKey = null)
        : base(QuiltErrorKind.InvalidInput, message, hint)
    {
        Violation = violation;
        JsonPath = jsonPath;
        LogicalKey = logicalKey;
    }

    /// <summary>Creates an exception for metadata that is not an object, with no hint.</summary>
    public PackageMetadataException()
        : this(PackageMetadataViolation.NotAnObject, "Package metadata must be a JSON object.", null)
    {
    }

    /// <summary>Creates an exception for metadata that is not an object, with the given message.</summary>
    public PackageMetadataException(string message)
        : this(PackageMetadataViolation.NotAnObject, message, null)
    {
    }

    /// <summary>Creates an exception for metadata that is not an object, wrapping another.</summary>
    public PackageMetadataException(string message, Exception innerException)
        : base(QuiltErrorKind.InvalidInput, message, null, innerException)
    {
        Violation = PackageMetadataViolation.NotAnObject;
    }

    /// <summary>The rule broken.</summary>
    public PackageMetadataViolation Violation { get; }

    /// <summary>Where in the metadata the offending value is (<c>$</c> is the metadata itself); null when the rule concerns the whole value.</summary>
    public string? JsonPath { get; }

    /// <summary>The entry whose metadata broke the rule; null for package metadata.</summary>
    public string? LogicalKey { get; }

    /// <summary>Package metadata that is not a JSON object.</summary>
    public static PackageMetadataException NotAnObject(string kind) => new(
        PackageMetadataViolation.NotAnObject,
        $"Package metadata must be a JSON object, not {kind}.",
        "Pass metadata like {\"project\": \"x\"}.",
        "$");

    /// <summary>A NaN or infinite number at <paramref name="jsonPath"/>.</summary>
    public static PackageMetadataException NonFiniteNumber(string jsonPath, string value, string? logicalKey = null) => new(
        PackageMetadataViolation.NonFiniteNumber,
        $"{Subject(logicalKey)} contains {value} at {jsonPath}; NaN and Infinity are not JSON and quilt3 refuses them.",
        "Use null or a string instead (for example \"NaN\").",
        jsonPath,
        logicalKey);

    /// <summary>An unpaired surrogate in a string or member name at <paramref name="jsonPath"/>.</summary>
    public static PackageMetadataException LoneSurrogate(string jsonPath, string? logicalKey = null) => new(
        PackageMetadataViolation.LoneSurrogate,
        $"{Subject(logicalKey)} contains a lone UTF-16 surrogate at {jsonPath}, which cannot be encoded as UTF-8.",
        "Remove or replace the unpaired surrogate (for example a \\ud800 escape).",
        jsonPath,
        logicalKey);

    /// <summary>Nesting deeper than <paramref name="maxDepth"/> levels at <paramref name="jsonPath"/>.</summary>
    public static PackageMetadataException TooDeep(string jsonPath, int maxDepth, string? logicalKey = null) => new(
        PackageMetadataViolation.TooDeep,
        $"{Subject(logicalKey)} is nested deeper than {maxDepth} levels (at {Shorten(jsonPath)}).",
        "Flatten the metadata; quilt3 (Python) cannot handle such nesting either.",
        jsonPath,
        logicalKey);

    /// <summary>Serialized metadata of <paramref name="size"/> bytes, over <paramref name="limit"/>.</summary>
    public static PackageMetadataException TooLarge(long size, long limit) => new(
        PackageMetadataViolation.TooLarge,
        $"Package metadata is {size:N0} bytes; the limit is {limit:N0}.",
        "Keep metadata small (put large documents in the package as files).");

    private static string Subject(string? logicalKey) => logicalKey is null ? "Package metadata" : $"The metadata of entry '{logicalKey}'";

    private static string Shorten(string path) => path.Length <= 200 ? path : path[..200] + "…";
}
