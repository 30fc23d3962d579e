namespace Quilt.Catalog;

/// <summary>How QuiltMcp reaches S3 and registries.</summary>
public enum QuiltMode
{
    /// <summary>With the caller's own AWS credentials (or local folders): the registry is written directly.</summary>
    Direct,

    /// <summary>As a Quilt catalog user identified by a bearer token: packages are made through the registry's GraphQL API.</summary>
    Catalog,
}
