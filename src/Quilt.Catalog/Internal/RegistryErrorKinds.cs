using Quilt.Core.Errors;

namespace Quilt.Catalog.Internal;

/// <summary>Chooses an error kind and a hint for a registry refusal from the registry's error names.</summary>
internal static class RegistryErrorKinds
{
    /// <summary>Limits the registry enforces on server-side hashing (deployment settings).</summary>
    public static readonly IReadOnlySet<string> HashLimitNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "TooManyFilesToHash", "PackageTooLargeToHash", "FileTooLargeForHashing",
    };

    private static readonly HashSet<string> CopyLimitNames = new(StringComparer.Ordinal)
    {
        "TooManyFilesToCopy", "PackageTooLargeToCopy", "ManifestTooLarge", "RequestTooLarge",
    };

    private static readonly HashSet<string> AccessNames = new(StringComparer.Ordinal)
    {
        "Forbidden", "AccessDenied", "Unauthorized", "InvalidAccessKeyId", "ExpiredToken", "InvalidToken", "SignatureDoesNotMatch",
    };

    private static readonly HashSet<string> NotFoundNames = new(StringComparer.Ordinal)
    {
        "NoSuchKey", "NoSuchBucket", "NoSuchVersion", "NotFound", "PackageNotFound", "RevisionNotFound", "BucketNotFound",
    };

    private static readonly HashSet<string> ThrottleNames = new(StringComparer.Ordinal)
    {
        "SlowDown", "Throttling", "ThrottlingException", "TooManyRequests", "RequestLimitExceeded",
    };

    private static readonly HashSet<string> InputNames = new(StringComparer.Ordinal)
    {
        "WorkflowValidationError", "QuiltException", "InvalidSuccessor", "InvalidRegistry", "InvalidS3PhysicalKey",
        "InvalidLocalPhysicalKey", "InvalidInputParameters", "ManifestHasLocalKeys", "InvalidPackageName",
    };

    public static (QuiltErrorKind Kind, string Hint) Classify(CatalogRegistryError error)
    {
        if (error.TypeName == CatalogRegistryError.InvalidInputType)
        {
            return (QuiltErrorKind.InvalidInput, "Fix what the registry names and try again.");
        }

        var names = error.Details.Select(d => d.Name).ToList();
        if (names.Any(AccessNames.Contains))
        {
            return (QuiltErrorKind.AccessDenied, "The catalog user may not do this: ask a catalog admin for write access to the bucket, or use another bucket.");
        }

        if (names.Any(NotFoundNames.Contains))
        {
            return (QuiltErrorKind.NotFound, "Check the bucket, package and object names, and that the catalog user can read them.");
        }

        if (names.Any(ThrottleNames.Contains))
        {
            return (QuiltErrorKind.Throttled, "Retry later.");
        }

        if (names.Any(HashLimitNames.Contains))
        {
            return (QuiltErrorKind.InvalidInput, "The registry limits how much it hashes itself; split the package, or create it in direct mode with AWS credentials.");
        }

        if (names.Any(CopyLimitNames.Contains))
        {
            return (QuiltErrorKind.InvalidInput, "The registry limits how much it copies; use copy mode None to reference the objects in place, or create the package in direct mode.");
        }

        if (names.Contains("InvalidSuccessor"))
        {
            return (QuiltErrorKind.InvalidInput, "packagePromote copies only into buckets the registry's workflow config lists under 'successors'; use copy mode None to reference the objects in place.");
        }

        if (names.Any(InputNames.Contains))
        {
            return (QuiltErrorKind.InvalidInput, "Fix what the registry names (workflow, metadata, keys) and try again.");
        }

        return (QuiltErrorKind.Transient, "Retry; if it fails again, the registry's reason above says what to change.");
    }
}
