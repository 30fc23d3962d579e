namespace Quilt.Core.Schema;

/// <summary>
/// The outcome of <see cref="JsonSchema.Validate"/>: valid, or every error found (not only the first), so a
/// user can fix all problems in one round trip.
/// </summary>
/// <param name="IsValid">Whether the instance satisfies the schema.</param>
/// <param name="Errors">The errors in schema keyword order; empty when <paramref name="IsValid"/>.</param>
public sealed record SchemaValidationResult(bool IsValid, IReadOnlyList<SchemaError> Errors)
{
    /// <summary>The result for a valid instance.</summary>
    public static SchemaValidationResult Valid { get; } = new(true, []);
}
