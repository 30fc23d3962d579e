namespace Quilt.Catalog.Internal;

/// <summary>
/// Every GraphQL document the client sends, as constants so that tests can validate each one against
/// <c>shared/quilt/schema.graphql</c>. Only fields and arguments that schema defines are used.
/// </summary>
internal static class GraphQLDocuments
{
    private const string PushResultSelection = """
        {
            __typename
            ... on PackagePushSuccess {
              package { bucket name }
              revision { hash modified message totalEntries totalBytes }
            }
            ... on InvalidInput { errors { path message name context } }
            ... on OperationError { message name context }
          }
        """;

    public const string PackageConstruct = """
        mutation PackageConstruct($params: PackagePushParams!, $src: PackageConstructSource!) {
          packageConstruct(params: $params, src: $src)
        """ + PushResultSelection + """

        }
        """;

    public const string PackagePromote = """
        mutation PackagePromote($params: PackagePushParams!, $src: PackagePromoteSource!, $destPrefix: String) {
          packagePromote(params: $params, src: $src, destPrefix: $destPrefix)
        """ + PushResultSelection + """

        }
        """;

    public const string PackageRevisionDelete = """
        mutation PackageRevisionDelete($bucket: String!, $name: String!, $hash: String!) {
          packageRevisionDelete(bucket: $bucket, name: $name, hash: $hash) {
            __typename
            ... on OperationError { message name context }
          }
        }
        """;

    public const string Package = """
        query Package($bucket: String!, $name: String!) {
          package(bucket: $bucket, name: $name) {
            bucket
            name
            modified
            revisions { total }
            revision(hashOrTag: "latest") { hash }
          }
        }
        """;

    public const string PackageRevisionHashes = """
        query PackageRevisionHashes($bucket: String!, $name: String!, $page: Int!, $perPage: Int!) {
          package(bucket: $bucket, name: $name) {
            revisions {
              total
              page(number: $page, perPage: $perPage) { hash }
            }
          }
        }
        """;

    public const string Packages = """
        query Packages($bucket: String!, $filter: String, $page: Int!, $perPage: Int!) {
          packages(bucket: $bucket, filter: $filter) {
            total
            page(number: $page, perPage: $perPage, order: NAME) {
              bucket
              name
              modified
              revisions { total }
              revision { hash }
            }
          }
        }
        """;

    public const string PackageRevision = """
        query PackageRevision($bucket: String!, $name: String!, $hashOrTag: String!, $max: Int!) {
          package(bucket: $bucket, name: $name) {
            revision(hashOrTag: $hashOrTag) {
              hash
              modified
              message
              userMeta
              totalEntries
              totalBytes
              contentsFlatMap(max: $max)
            }
          }
        }
        """;

    /// <summary>All documents, by operation name (for tests and logs).</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [nameof(PackageConstruct)] = PackageConstruct,
        [nameof(PackagePromote)] = PackagePromote,
        [nameof(PackageRevisionDelete)] = PackageRevisionDelete,
        [nameof(Package)] = Package,
        [nameof(PackageRevisionHashes)] = PackageRevisionHashes,
        [nameof(Packages)] = Packages,
        [nameof(PackageRevision)] = PackageRevision,
    };
}
