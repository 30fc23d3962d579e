using System.Text;
using Quilt.Core.Errors;
using Quilt.Packaging;

namespace Quilt.Catalog;

/// <summary>
/// Catalog-mode configuration: where the catalog and its registry are, the token for stdio use, and tunables.
/// Printing the value never shows the token.
/// </summary>
public sealed record CatalogOptions
{
    /// <summary><c>QUILT_MODE</c>: <c>direct</c>, <c>catalog</c> or <c>auto</c>.</summary>
    public const string ModeVariable = "QUILT_MODE";

    /// <summary><c>QUILT_CATALOG_URL</c>: the catalog's web address.</summary>
    public const string CatalogUrlVariable = "QUILT_CATALOG_URL";

    /// <summary><c>QUILT_REGISTRY_URL</c>: the registry API's address.</summary>
    public const string RegistryUrlVariable = "QUILT_REGISTRY_URL";

    /// <summary><c>QUILT_JWT</c>: the catalog token used over stdio and by the CLI.</summary>
    public const string TokenVariable = "QUILT_JWT";

    /// <summary>The catalog's web URL (<c>https://quilt.example.com</c>); used for links and to find the registry.</summary>
    public string? CatalogUrl { get; init; }

    /// <summary>
    /// The registry API's URL (<c>https://quilt-registry.example.com</c>). When absent it is read from the catalog's
    /// <c>{CatalogUrl}/config.json</c> (member <c>registryUrl</c>), exactly as quilt3's <c>quilt3.config(url)</c> does.
    /// </summary>
    public string? RegistryUrl { get; init; }

    /// <summary>The bearer token for stdio and CLI use (<c>QUILT_JWT</c>). Over HTTP each request brings its own.</summary>
    public string? Token { get; init; }

    /// <summary>An S3-compatible endpoint for the temporary credentials (<c>AWS_ENDPOINT_URL_S3</c>/<c>AWS_ENDPOINT_URL</c>); null for AWS.</summary>
    public string? S3ServiceUrl { get; init; }

    /// <summary>The AWS region to sign S3 requests for (<c>AWS_REGION</c>/<c>AWS_DEFAULT_REGION</c>); null for the SDK default.</summary>
    public string? Region { get; init; }

    /// <summary>Objects inspected at once (HEAD, hashing); <c>QUILT_CONCURRENCY</c>, as in direct mode. Default 32.</summary>
    public int Concurrency { get; init; } = PackagingOptions.DefaultConcurrency;

    /// <summary>The most entries browse and diff ask the registry to list (<c>contentsFlatMap(max:)</c>). Default 10,000.</summary>
    public int MaxBrowseEntries { get; init; } = 10_000;

    /// <summary>Maximum serialized size of package metadata in bytes (as in direct mode). Default 1,000,000.</summary>
    public int MaxMetadataBytes { get; init; } = PackagingOptions.DefaultMaxMetadataBytes;

    /// <summary>How many planned entries a dry run lists before truncating. Default 1000.</summary>
    public int MaxPlanEntriesShown { get; init; } = PackagingOptions.DefaultMaxPlanEntriesShown;

    /// <summary>Objects below this size are hashed with one GET when this client has to hash them. Default 1 MiB.</summary>
    public long SmallObjectThreshold { get; init; } = PackagingOptions.DefaultSmallObjectThreshold;

    /// <summary>
    /// How long one registry request may take. Default 10 minutes: <c>packageConstruct</c> hashes server-side what comes
    /// without a hash, and answers only when the revision is written.
    /// </summary>
    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Whether a catalog or registry URL is configured.</summary>
    public bool HasEndpoint => !string.IsNullOrWhiteSpace(CatalogUrl) || !string.IsNullOrWhiteSpace(RegistryUrl);

    /// <summary>Whether a token is configured (<c>QUILT_JWT</c>).</summary>
    public bool HasToken => !string.IsNullOrWhiteSpace(Token);

    /// <summary>
    /// Reads <c>QUILT_CATALOG_URL</c>, <c>QUILT_REGISTRY_URL</c>, <c>QUILT_JWT</c>, <c>AWS_ENDPOINT_URL_S3</c> (or
    /// <c>AWS_ENDPOINT_URL</c>) and <c>AWS_REGION</c> (or <c>AWS_DEFAULT_REGION</c>); URLs are checked. The tunables
    /// both modes share (<c>QUILT_CONCURRENCY</c>) come from <see cref="PackagingOptions.FromEnvironment"/>.
    /// </summary>
    /// <param name="getVariable">Reads a variable; <see cref="Environment.GetEnvironmentVariable(string)"/> by default.</param>
    public static CatalogOptions FromEnvironment(Func<string, string?>? getVariable = null)
    {
        getVariable ??= Environment.GetEnvironmentVariable;
        var shared = PackagingOptions.FromEnvironment(getVariable);
        var catalog = Clean(getVariable(CatalogUrlVariable));
        var registry = Clean(getVariable(RegistryUrlVariable));
        _ = ParseHttpUrl(catalog, CatalogUrlVariable);
        _ = ParseHttpUrl(registry, RegistryUrlVariable);
        return new CatalogOptions
        {
            CatalogUrl = catalog,
            RegistryUrl = registry,
            Token = Clean(getVariable(TokenVariable)),
            S3ServiceUrl = Clean(getVariable("AWS_ENDPOINT_URL_S3")) ?? Clean(getVariable("AWS_ENDPOINT_URL")),
            Region = Clean(getVariable("AWS_REGION")) ?? Clean(getVariable("AWS_DEFAULT_REGION")),
            Concurrency = shared.Concurrency,
        };

        static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>An absolute http(s) URL without query or fragment, or null for an empty value; throws InvalidInput otherwise.</summary>
    public static Uri? ParseHttpUrl(string? text, string what)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.Query.Length > 0
            || uri.Fragment.Length > 0
            || uri.UserInfo.Length > 0)
        {
            throw QuiltException.InvalidInput(
                $"{what} must be an http(s) URL such as https://quilt.example.com, not '{text}'.",
                $"Set {what} to the address you open in a browser (catalog) or the registry API's address.");
        }

        return uri;
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("CatalogUrl = ").Append(CatalogUrl)
            .Append(", RegistryUrl = ").Append(RegistryUrl)
            .Append(", Token = ").Append(HasToken ? "****" : "")
            .Append(", S3ServiceUrl = ").Append(S3ServiceUrl)
            .Append(", Region = ").Append(Region)
            .Append(", Concurrency = ").Append(Concurrency);
        return true;
    }
}
