using Quilt.Core.Json;
using Quilt.Core.Manifests;
using Quilt.Core.Naming;
using Quilt.Packaging.Contracts;
using Quilt.Storage;

namespace Quilt.Catalog.Internal;

/// <summary>The checked inputs every catalog-mode creation shares: package, registry bucket, metadata, message, workflow.</summary>
internal sealed record CatalogTarget(PackageName Name, string Bucket, QuiltJsonObject? Metadata, string? Message, string? Workflow)
{
    public string RegistryUri => "s3://" + Bucket;

    public PackagePushParameters PushParameters => new(Bucket, Name.ToString(), Message, Metadata, Workflow);

    public static CatalogTarget Prepare(string packageName, StorageLocation registry, QuiltJsonValue? metadata, string? message, string? description, WorkflowChoice? workflow, int maxMetadataBytes)
    {
        var name = PackageName.Parse(packageName);
        var bucket = CatalogLocations.RegistryBucket(registry);
        var meta = PackageMetadataRules.CheckPackageMetadata(metadata, maxMetadataBytes);
        var effectiveMessage = !string.IsNullOrEmpty(message) ? message : !string.IsNullOrEmpty(description) ? description : null;
        return new CatalogTarget(name, bucket, meta, effectiveMessage, WorkflowParameter(workflow ?? WorkflowChoice.Default));
    }

    /// <summary>
    /// The registry's <c>workflow</c> parameter: null = the bucket's default workflow, <c>""</c> = explicitly none,
    /// otherwise the workflow id.
    /// </summary>
    public static string? WorkflowParameter(WorkflowChoice choice) =>
        !choice.IsSpecified ? null : choice.WorkflowId ?? "";
}
