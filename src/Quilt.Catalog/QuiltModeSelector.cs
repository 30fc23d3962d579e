using Quilt.Core.Errors;

namespace Quilt.Catalog;

/// <summary>
/// Chooses direct or catalog mode: <c>--mode direct|catalog|auto</c> first, then <c>QUILT_MODE</c>, then automatically —
/// catalog when a catalog (or registry) URL and a token (<c>QUILT_JWT</c>) are configured, direct otherwise.
/// </summary>
public static class QuiltModeSelector
{
    /// <summary>Resolves the mode; throws InvalidInput for an unknown mode or catalog mode without a catalog address.</summary>
    /// <param name="modeOption">The <c>--mode</c> value, or null when not given.</param>
    /// <param name="catalog">The catalog configuration (for the automatic choice and the check).</param>
    /// <param name="getVariable">Reads <c>QUILT_MODE</c>; the process environment by default.</param>
    public static QuiltMode Resolve(string? modeOption, CatalogOptions catalog, Func<string, string?>? getVariable = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        getVariable ??= Environment.GetEnvironmentVariable;
        var (text, source) = !string.IsNullOrWhiteSpace(modeOption)
            ? (modeOption.Trim(), "--mode")
            : (getVariable(CatalogOptions.ModeVariable)?.Trim() ?? "", CatalogOptions.ModeVariable);
        QuiltMode? chosen = text.ToUpperInvariant() switch
        {
            "" or "AUTO" => null,
            "DIRECT" => QuiltMode.Direct,
            "CATALOG" => QuiltMode.Catalog,
            _ => throw QuiltException.InvalidInput($"{source} must be 'direct', 'catalog' or 'auto', not '{text}'."),
        };

        if (chosen == QuiltMode.Catalog && !catalog.HasEndpoint)
        {
            throw QuiltException.InvalidInput(
                "Catalog mode needs the catalog's address.",
                $"Set {CatalogOptions.CatalogUrlVariable} (or {CatalogOptions.RegistryUrlVariable}).");
        }

        return chosen ?? (catalog.HasEndpoint && catalog.HasToken ? QuiltMode.Catalog : QuiltMode.Direct);
    }
}
