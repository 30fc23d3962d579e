namespace Quilt.Catalog;

/// <summary>The answer to <c>packageConstruct</c> or <c>packagePromote</c>: the new revision, or the registry's refusal.</summary>
/// <param name="Revision">The revision written, on success.</param>
/// <param name="Error">The refusal, otherwise.</param>
public sealed record CatalogPushResult(CatalogRevision? Revision, CatalogRegistryError? Error)
{
    /// <summary>Whether the registry wrote the revision.</summary>
    public bool Succeeded => Revision is not null;

    /// <summary>The revision, or the refusal as a <see cref="Quilt.Core.Errors.QuiltException"/> (see <see cref="CatalogRegistryError.ToException"/>).</summary>
    public CatalogRevision EnsureSuccess(string action, Func<int, string?>? entryName = null) =>
        Revision ?? throw (Error ?? new CatalogRegistryError(CatalogRegistryError.OperationErrorType, [])).ToException(action, entryName);
}
