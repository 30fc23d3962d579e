using System.Text;
using Quilt.Core.Errors;
using Quilt.Core.Json;
using Quilt.Core.Naming;
using Quilt.Packaging.Contracts;

namespace Quilt.Catalog.Internal;

/// <summary>The checked inputs every catalog-mode creation shares: package, registry bucket, metadata, message, workflow.</summary>
internal sealed record CatalogTarget(PackageName Name, string Bucket, JsonObject? Metadata, string? Message, string? Workflow)
{
    public string RegistryUri => "s3://" + Bucket;

    public PackagePushParameters PushParameters => new(Bucket, Name.ToString(), Message, Metadata, Workflow);

    public static CatalogTarget Prepare(string packageName, string registry, JsonValue? metadata, string? message, string? description, WorkflowChoice? workflow, int maxMetadataBytes)
    {
        var name = PackageName.Parse(packageName);
        var bucket = S3Uris.ParseRegistry(registry);
        JsonObject? meta = null;
        if (metadata is not null and not JsonNull)
        {
            meta = metadata as JsonObject ?? throw QuiltException.InvalidInput(
                $"Package metadata must be a JSON object, not {metadata.Kind.ToString().ToLowerInvariant()}.",
                "Pass metadata like {\"project\": \"x\"}.");
            if (ContainsNonFinite(meta))
            {
                throw QuiltException.InvalidInput(
                    "Package metadata contains NaN or Infinity, which JSON cannot carry to the registry.",
                    "Use null or a string instead.");
            }

            var size = Encoding.UTF8.GetByteCount(JsonText.Serialize(meta));
            if (size > maxMetadataBytes)
            {
                throw QuiltException.InvalidInput(
                    $"Package metadata is {size:N0} bytes; the limit is {maxMetadataBytes:N0}.",
                    "Keep metadata small (put large documents in the package as files).");
            }
        }

        var effectiveMessage = !string.IsNullOrEmpty(message) ? message : !string.IsNullOrEmpty(description) ? description : null;
        return new CatalogTarget(name, bucket, meta, effectiveMessage, WorkflowParameter(workflow ?? WorkflowChoice.Default));
    }

    /// <summary>
    /// The registry's <c>workflow</c> parameter: null = the bucket's default workflow, <c>""</c> = explicitly none,
    /// otherwise the workflow id.
    /// </summary>
    public static string? WorkflowParameter(WorkflowChoice choice) =>
        !choice.IsSpecified ? null : choice.WorkflowId ?? "";

    private static bool ContainsNonFinite(JsonValue value) => value switch
    {
        JsonFloat f => !double.IsFinite(f.Value),
        JsonArray a => a.Any(ContainsNonFinite),
        JsonObject o => o.Any(m => ContainsNonFinite(m.Value)),
        _ => false,
    };
}
