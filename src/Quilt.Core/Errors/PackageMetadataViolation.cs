namespace Quilt.Core.Errors;

/// <summary>Which metadata rule a value broke (<see cref="PackageMetadataException.Violation"/>).</summary>
public enum PackageMetadataViolation
{
    /// <summary>Package metadata must be a JSON object (or absent).</summary>
    NotAnObject,

    /// <summary>A number is NaN or infinite, which JSON (and quilt3's manifest writer) cannot carry.</summary>
    NonFiniteNumber,

    /// <summary>A string or member name holds an unpaired UTF-16 surrogate, which UTF-8 cannot encode.</summary>
    LoneSurrogate,

    /// <summary>Arrays and objects are nested deeper than JSON readers (and quilt3) accept.</summary>
    TooDeep,

    /// <summary>The serialized metadata is larger than the limit.</summary>
    TooLarge,
}
