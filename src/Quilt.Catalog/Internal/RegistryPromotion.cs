using Quilt.Core.Errors;
using Quilt.Core.Json;
using Quilt.Packaging.Registry;
using Quilt.Packaging.Workflows;
using Quilt.Storage;

namespace Quilt.Catalog.Internal;

/// <summary>
/// Reads the registry's <c>.quilt/workflows/config.yml</c> with the catalog user's credentials to learn, before
/// anything is written, whether <c>packagePromote</c> can copy into the registry: the registry promotes only to a
/// bucket its config lists under <c>successors</c> (keys are registry URLs such as <c>s3://bucket</c>; a
/// successor's <c>copy_data</c> defaults to true), and fails the promotion without a config.
/// </summary>
internal static class RegistryPromotion
{
    public static async Task<(PromotionVerdict Verdict, string? ConfigUrl)> CheckAsync(IObjectStore store, string bucket, CancellationToken cancellationToken)
    {
        (string Text, string Url)? file;
        try
        {
            file = await new PackageRegistry(store, bucket, "s3://" + bucket).ReadWorkflowConfigAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (QuiltException e) when (e.Kind is QuiltErrorKind.AccessDenied or QuiltErrorKind.Unsupported)
        {
            return (PromotionVerdict.Unknown, null);
        }

        if (file is not { } config)
        {
            return (PromotionVerdict.NoConfig, null);
        }

        QuiltJsonValue document;
        try
        {
            document = YamlJson.FromYaml(config.Text);
        }
        catch (QuiltException e) when (e.Kind == QuiltErrorKind.InvalidInput)
        {
            return (PromotionVerdict.Unknown, config.Url);
        }

        if (document is not QuiltJsonObject root || !root.TryGetValue("successors", out var successorsValue) || successorsValue is not QuiltJsonObject successors)
        {
            return (PromotionVerdict.NotASuccessor, config.Url);
        }

        foreach (var (url, parameters) in successors)
        {
            if (NamesBucket(url, bucket))
            {
                var copies = parameters is not QuiltJsonObject p || !p.TryGetValue("copy_data", out var copyData) || copyData is not QuiltJsonBool { Value: false };
                return (copies ? PromotionVerdict.Allowed : PromotionVerdict.SuccessorDoesNotCopy, config.Url);
            }
        }

        return (PromotionVerdict.NotASuccessor, config.Url);
    }

    /// <summary>The refusal or warning text for a verdict other than allowed or unknown.</summary>
    public static string Explain(PromotionVerdict verdict, string bucket, string? configUrl) => verdict switch
    {
        PromotionVerdict.NoConfig => $"the registry s3://{bucket} has no workflow config ({PackageRegistry.WorkflowConfigKey}), and the registry's packagePromote copies only into buckets that config lists under 'successors'",
        PromotionVerdict.NotASuccessor => $"the registry's workflow config {configUrl} does not list s3://{bucket} under 'successors', and the registry's packagePromote copies only into successors",
        PromotionVerdict.SuccessorDoesNotCopy => $"the registry's workflow config {configUrl} lists s3://{bucket} under 'successors' with copy_data: false, so packagePromote would not copy",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, null),
    };

    /// <summary>How to make copies possible, as the end of a sentence.</summary>
    public static string HowToCopy(string bucket) =>
        $"ask a catalog admin to list s3://{bucket} under 'successors' in {PackageRegistry.WorkflowConfigKey}, or use direct mode with AWS credentials.";

    private static bool NamesBucket(string url, string bucket)
    {
        var text = url.Trim();
        if (!text.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = text["s3://".Length..].TrimEnd('/');
        return string.Equals(rest, bucket, StringComparison.Ordinal);
    }
}
