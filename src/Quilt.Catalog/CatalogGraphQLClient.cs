using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Quilt.Catalog.Internal;
using Quilt.Core.Errors;
using Quilt.Core.Json;
using Quilt.Core.Manifests;
using Quilt.Packaging.Contracts;

namespace Quilt.Catalog;

/// <summary>
/// The Quilt registry's GraphQL API (<c>{registry}/graphql</c>) for one catalog user. Each request carries that user's
/// bearer token in its own <c>Authorization</c> header, so one <see cref="HttpClient"/> can serve many users without
/// their identities ever mixing. Registry refusals come back as values (<see cref="CatalogPushResult"/>); transport,
/// authentication and GraphQL errors are thrown as <see cref="QuiltException"/>. The token never appears in logs or
/// messages.
/// </summary>
public sealed partial class CatalogGraphQLClient
{
    private const int PageSize = 100;
    private const int MaxPages = 10_000;

    private readonly HttpClient _http;
    private readonly string _token;
    private readonly ILogger _logger;

    /// <summary>Creates a client for the registry at <paramref name="registryUrl"/> acting for the holder of <paramref name="bearerToken"/>.</summary>
    public CatalogGraphQLClient(HttpClient httpClient, Uri registryUrl, string bearerToken, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(registryUrl);
        if (string.IsNullOrWhiteSpace(bearerToken))
        {
            throw MissingToken();
        }

        _http = httpClient;
        _token = bearerToken.Trim();
        _logger = logger ?? NullLogger.Instance;
        Endpoint = new Uri(registryUrl.AbsoluteUri.TrimEnd('/') + "/graphql");
    }

    /// <summary>The GraphQL endpoint, <c>{registry}/graphql</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>
    /// <c>packageConstruct</c>: writes a revision from entries that reference objects where they are. The registry
    /// never copies here; it fills missing sizes, versions and hashes itself, within its hashing limits.
    /// </summary>
    public async Task<CatalogPushResult> PackageConstructAsync(PackagePushParameters parameters, IReadOnlyList<PackageConstructEntryInput> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(entries);
        var data = await ExecuteAsync("PackageConstruct", GraphQLDocuments.PackageConstruct, writer =>
        {
            WriteParams(writer, parameters);
            writer.WriteStartObject("src");
            writer.WriteStartArray("entries");
            foreach (var entry in entries)
            {
                writer.WriteStartObject();
                writer.WriteString("logicalKey", entry.LogicalKey);
                writer.WriteString("physicalKey", entry.PhysicalKey);
                if (entry.Size is { } size)
                {
                    writer.WriteNumber("size", size);
                }

                if (entry.Hash is { } hash)
                {
                    writer.WriteStartObject("hash");
                    writer.WriteString("type", hash.Type);
                    writer.WriteString("value", hash.Value);
                    writer.WriteEndObject();
                }

                if (entry.Meta is { } meta)
                {
                    writer.WritePropertyName("meta");
                    GraphQLJson.WriteValue(writer, meta);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }, cancellationToken).ConfigureAwait(false);
        return ParsePushResult(Field(data, "packageConstruct"), "packageConstruct");
    }

    /// <summary>
    /// <c>packagePromote</c>: pushes an existing revision into <paramref name="parameters"/>' bucket, copying its data
    /// there (when the source registry's workflow config lists the destination as a successor).
    /// </summary>
    public async Task<CatalogPushResult> PackagePromoteAsync(PackagePushParameters parameters, PackageRevisionReference source, string? destPrefix = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(source);
        var data = await ExecuteAsync("PackagePromote", GraphQLDocuments.PackagePromote, writer =>
        {
            WriteParams(writer, parameters);
            writer.WriteStartObject("src");
            writer.WriteString("bucket", source.Bucket);
            writer.WriteString("name", source.Name);
            writer.WriteString("hash", source.Hash);
            writer.WriteEndObject();
            GraphQLJson.WriteNullableString(writer, "destPrefix", destPrefix);
        }, cancellationToken).ConfigureAwait(false);
        return ParsePushResult(Field(data, "packagePromote"), "packagePromote");
    }

    /// <summary><c>packageRevisionDelete</c>: removes a revision (rollback); returns null on success, else the refusal.</summary>
    public async Task<CatalogRegistryError?> PackageRevisionDeleteAsync(string bucket, string name, string hash, CancellationToken cancellationToken = default)
    {
        var data = await ExecuteAsync("PackageRevisionDelete", GraphQLDocuments.PackageRevisionDelete, writer =>
        {
            writer.WriteString("bucket", bucket);
            writer.WriteString("name", name);
            writer.WriteString("hash", hash);
        }, cancellationToken).ConfigureAwait(false);
        var result = Field(data, "packageRevisionDelete");
        var type = GraphQLJson.RequiredString(result, "__typename", "packageRevisionDelete");
        return type switch
        {
            "PackageRevisionDeleteSuccess" => null,
            CatalogRegistryError.OperationErrorType => new CatalogRegistryError(type, [OperationDetail(result)]),
            _ => throw GraphQLJson.Malformed($"packageRevisionDelete returned an unknown type '{type}'"),
        };
    }

    /// <summary>The package with its <c>latest</c> top hash, or null when it does not exist (or the user cannot see it).</summary>
    public async Task<CatalogPackageInfo?> GetPackageAsync(string bucket, string name, CancellationToken cancellationToken = default)
    {
        var data = await ExecuteAsync("Package", GraphQLDocuments.Package, writer =>
        {
            writer.WriteString("bucket", bucket);
            writer.WriteString("name", name);
        }, cancellationToken).ConfigureAwait(false);
        return GraphQLJson.Member(data, "package") is { } package ? ParsePackage(package, bucket) : null;
    }

    /// <summary>Every revision's top hash (page by page), newest first as the registry orders them; empty when the package does not exist.</summary>
    public async Task<IReadOnlyList<string>> GetRevisionHashesAsync(string bucket, string name, CancellationToken cancellationToken = default)
    {
        var hashes = new List<string>();
        for (var page = 1; page <= MaxPages; page++)
        {
            var number = page;
            var data = await ExecuteAsync("PackageRevisionHashes", GraphQLDocuments.PackageRevisionHashes, writer =>
            {
                writer.WriteString("bucket", bucket);
                writer.WriteString("name", name);
                writer.WriteNumber("page", number);
                writer.WriteNumber("perPage", PageSize);
            }, cancellationToken).ConfigureAwait(false);
            if (GraphQLJson.Member(data, "package") is not { } package || GraphQLJson.Member(package, "revisions") is not { } revisions)
            {
                break;
            }

            var total = GraphQLJson.WholeNumber(revisions, "total") ?? 0;
            var items = GraphQLJson.Member(revisions, "page") is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray().ToList() : [];
            hashes.AddRange(items.Select(r => GraphQLJson.RequiredString(r, "hash", "a package revision")));
            if (items.Count < PageSize || hashes.Count >= total)
            {
                break;
            }
        }

        return hashes;
    }

    /// <summary>Every package of a registry bucket, sorted by name; null when the registry does not know the bucket (or the user cannot see it).</summary>
    public async Task<IReadOnlyList<CatalogPackageInfo>?> ListPackagesAsync(string bucket, string? filter = null, CancellationToken cancellationToken = default)
    {
        var packages = new List<CatalogPackageInfo>();
        for (var page = 1; page <= MaxPages; page++)
        {
            var number = page;
            var data = await ExecuteAsync("Packages", GraphQLDocuments.Packages, writer =>
            {
                writer.WriteString("bucket", bucket);
                GraphQLJson.WriteNullableString(writer, "filter", filter);
                writer.WriteNumber("page", number);
                writer.WriteNumber("perPage", PageSize);
            }, cancellationToken).ConfigureAwait(false);
            if (GraphQLJson.Member(data, "packages") is not { } list)
            {
                return page == 1 ? null : packages;
            }

            var total = GraphQLJson.WholeNumber(list, "total") ?? 0;
            var items = GraphQLJson.Member(list, "page") is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray().ToList() : [];
            packages.AddRange(items.Select(p => ParsePackage(p, bucket)));
            if (items.Count < PageSize || packages.Count >= total)
            {
                break;
            }
        }

        packages.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return packages;
    }

    /// <summary>
    /// A revision (by top hash or tag such as <c>latest</c>) with its entries from <c>contentsFlatMap</c>; null when the
    /// package or revision does not exist. <see cref="CatalogRevisionContents.Entries"/> is null when the revision has
    /// more than <paramref name="maxEntries"/> entries.
    /// </summary>
    public async Task<CatalogRevisionContents?> GetRevisionAsync(string bucket, string name, string hashOrTag, int maxEntries = 10_000, CancellationToken cancellationToken = default)
    {
        var data = await ExecuteAsync("PackageRevision", GraphQLDocuments.PackageRevision, writer =>
        {
            writer.WriteString("bucket", bucket);
            writer.WriteString("name", name);
            writer.WriteString("hashOrTag", hashOrTag);
            writer.WriteNumber("max", maxEntries);
        }, cancellationToken).ConfigureAwait(false);
        if (GraphQLJson.Member(data, "package") is not { } package || GraphQLJson.Member(package, "revision") is not { } revision)
        {
            return null;
        }

        var entries = GraphQLJson.Member(revision, "contentsFlatMap") is { } map ? ParseFlatMap(map) : null;
        return new CatalogRevisionContents(ParseRevision(revision), GraphQLJson.Value(revision, "userMeta"), entries);
    }

    /// <summary>Sends one GraphQL request and returns its <c>data</c>; throws <see cref="QuiltException"/> for every failure.</summary>
    internal async Task<JsonElement> ExecuteAsync(string operation, string document, Action<Utf8JsonWriter> writeVariables, CancellationToken cancellationToken)
    {
        var body = BuildBody(operation, document, writeVariables);
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        var clock = Stopwatch.StartNew();
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailure(_logger, operation, "timeout");
            throw QuiltException.Transient($"The Quilt registry at {Endpoint} did not answer {operation} in time.", e);
        }
        catch (HttpRequestException e)
        {
            LogFailure(_logger, operation, e.HttpRequestError.ToString());
            throw QuiltException.Transient($"Could not reach the Quilt registry at {Endpoint} ({e.HttpRequestError}).", e);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            LogRequest(_logger, operation, status, clock.ElapsedMilliseconds);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            ThrowForStatus(operation, response.StatusCode, text);
            JsonElement root;
            try
            {
                using var json = JsonDocument.Parse(text);
                root = json.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw QuiltException.Transient($"The Quilt registry's answer to {operation} was not JSON (HTTP {status}).", e);
            }

            if (GraphQLJson.Member(root, "errors") is { ValueKind: JsonValueKind.Array } errors && errors.GetArrayLength() > 0)
            {
                throw FromGraphQLErrors(operation, errors);
            }

            if (status >= 300)
            {
                throw QuiltException.InvalidInput($"The Quilt registry refused {operation} with HTTP {status}.", "Check QUILT_REGISTRY_URL.");
            }

            return GraphQLJson.Member(root, "data") is { ValueKind: JsonValueKind.Object } data
                ? data
                : throw GraphQLJson.Malformed($"the answer to {operation} has no data");
        }
    }

    internal static QuiltException MissingToken() => QuiltException.AccessDenied(
        "No Quilt catalog token was given.",
        "Log in to the catalog and pass its token: QUILT_JWT for stdio, or an 'Authorization: Bearer <token>' header over HTTP.");

    internal static QuiltException TokenRejected(string what, int status) => QuiltException.AccessDenied(
        $"The catalog token was rejected (HTTP {status} from {what}).",
        "Log in to the catalog again and pass a fresh QUILT_JWT (or Authorization header).");

    private static byte[] BuildBody(string operation, string document, Action<Utf8JsonWriter> writeVariables)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("query", document);
            writer.WriteString("operationName", operation);
            writer.WriteStartObject("variables");
            writeVariables(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteParams(Utf8JsonWriter writer, PackagePushParameters parameters)
    {
        writer.WriteStartObject("params");
        writer.WriteString("bucket", parameters.Bucket);
        writer.WriteString("name", parameters.Name);
        GraphQLJson.WriteNullableString(writer, "message", parameters.Message);
        if (parameters.UserMeta is null)
        {
            writer.WriteNull("userMeta");
        }
        else
        {
            writer.WritePropertyName("userMeta");
            GraphQLJson.WriteValue(writer, parameters.UserMeta);
        }

        GraphQLJson.WriteNullableString(writer, "workflow", parameters.Workflow);
        writer.WriteEndObject();
    }

    private void ThrowForStatus(string operation, HttpStatusCode code, string body)
    {
        var status = (int)code;
        switch (status)
        {
            case 401 or 403:
                throw TokenRejected($"the registry's {operation}", status);
            case 404:
                throw QuiltException.NotFound($"There is no Quilt GraphQL API at {Endpoint} (HTTP 404).", "Check QUILT_REGISTRY_URL (or QUILT_CATALOG_URL).");
            case 408:
                throw QuiltException.Transient($"The Quilt registry timed out answering {operation} (HTTP 408).");
            case 429:
                throw QuiltException.Throttled($"The Quilt registry throttled {operation} (HTTP 429).");
            case >= 500:
                throw QuiltException.Transient($"The Quilt registry failed answering {operation} (HTTP {status}).");
            case >= 300 when !LooksLikeJson(body):
                throw QuiltException.InvalidInput($"The Quilt registry refused {operation} with HTTP {status}.", "Check QUILT_REGISTRY_URL.");
        }
    }

    private static bool LooksLikeJson(string body) => body.AsSpan().TrimStart().StartsWith("{");

    /// <summary>
    /// Request errors (parse, validation, variable coercion) carry no <c>path</c>: this client and the registry disagree
    /// on the input. Field errors carry a path: the registry failed while executing, which may pass on retry.
    /// </summary>
    private static QuiltException FromGraphQLErrors(string operation, JsonElement errors)
    {
        var list = errors.EnumerateArray().ToList();
        var messages = string.Join("; ", list.Take(5).Select(e => (GraphQLJson.String(e, "message") ?? "unknown error").TrimEnd('.')));
        var codes = list
            .Select(e => GraphQLJson.Member(e, "extensions") is { } ext ? GraphQLJson.String(ext, "code") : null)
            .Where(c => c is not null)
            .ToList();
        if (codes.Any(c => c is "UNAUTHENTICATED" or "FORBIDDEN"))
        {
            return QuiltException.AccessDenied(
                $"The Quilt registry refused {operation}: {messages}.",
                "Log in to the catalog again and pass a fresh QUILT_JWT (or Authorization header); check the user's access to the bucket.");
        }

        if (list.All(e => GraphQLJson.Member(e, "path") is null))
        {
            return QuiltException.InvalidInput(
                $"The Quilt registry rejected the {operation} request: {messages}.",
                "This QuiltMcp and the registry disagree on the GraphQL API, or an input is malformed; check QUILT_REGISTRY_URL and the inputs.");
        }

        return QuiltException.Transient($"The Quilt registry failed while answering {operation}: {messages}.");
    }

    private static JsonElement Field(JsonElement data, string name) =>
        GraphQLJson.Member(data, name) ?? throw GraphQLJson.Malformed($"'{name}' is missing from the answer");

    private static CatalogPushResult ParsePushResult(JsonElement result, string what)
    {
        var type = GraphQLJson.RequiredString(result, "__typename", what);
        switch (type)
        {
            case "PackagePushSuccess":
                var revision = GraphQLJson.Member(result, "revision") ?? throw GraphQLJson.Malformed($"{what} succeeded without a revision");
                return new CatalogPushResult(ParseRevision(revision), null);
            case CatalogRegistryError.InvalidInputType:
                var errors = GraphQLJson.Member(result, "errors") is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray().ToList() : [];
                var details = errors.Select(e => new CatalogErrorDetail(
                    GraphQLJson.String(e, "name") ?? "",
                    GraphQLJson.String(e, "message") ?? "invalid input",
                    GraphQLJson.String(e, "path"),
                    GraphQLJson.Value(e, "context"))).ToList();
                return new CatalogPushResult(null, new CatalogRegistryError(type, details));
            case CatalogRegistryError.OperationErrorType:
                return new CatalogPushResult(null, new CatalogRegistryError(type, [OperationDetail(result)]));
            default:
                throw GraphQLJson.Malformed($"{what} returned an unknown type '{type}'");
        }
    }

    private static CatalogErrorDetail OperationDetail(JsonElement result) => new(
        GraphQLJson.String(result, "name") ?? "",
        GraphQLJson.String(result, "message") ?? "operation failed",
        null,
        GraphQLJson.Value(result, "context"));

    private static CatalogRevision ParseRevision(JsonElement revision) => new(
        GraphQLJson.RequiredString(revision, "hash", "a package revision"),
        GraphQLJson.Time(revision, "modified"),
        GraphQLJson.String(revision, "message"),
        GraphQLJson.WholeNumber(revision, "totalEntries"),
        GraphQLJson.WholeNumber(revision, "totalBytes"));

    private static CatalogPackageInfo ParsePackage(JsonElement package, string bucket)
    {
        var latest = GraphQLJson.Member(package, "revision") is { } revision ? GraphQLJson.String(revision, "hash") : null;
        var revisions = GraphQLJson.Member(package, "revisions") is { } list ? GraphQLJson.WholeNumber(list, "total") ?? 0 : 0;
        return new CatalogPackageInfo(
            GraphQLJson.String(package, "bucket") ?? bucket,
            GraphQLJson.RequiredString(package, "name", "a package"),
            GraphQLJson.Time(package, "modified"),
            latest,
            (int)Math.Clamp(revisions, 0, int.MaxValue));
    }

    /// <summary>
    /// <c>PackageContentsFlatMap</c>: logical key → <c>{physicalKey, size, hash, meta}</c>. Older registries send the hash
    /// as a bare string (a <c>sha2-256-chunked</c> value); newer ones as <c>{type, value}</c>.
    /// </summary>
    private static List<PackageEntryView> ParseFlatMap(JsonElement map)
    {
        if (map.ValueKind == JsonValueKind.String)
        {
            using var parsed = JsonDocument.Parse(map.GetString()!);
            return ParseFlatMap(parsed.RootElement.Clone());
        }

        if (map.ValueKind != JsonValueKind.Object)
        {
            throw GraphQLJson.Malformed("contentsFlatMap is not an object");
        }

        var entries = new List<PackageEntryView>();
        foreach (var property in map.EnumerateObject())
        {
            var entry = property.Value;
            string hashType = Core.Hashing.QuiltHashTypes.Sha256Chunked, hashValue = "";
            switch (GraphQLJson.Member(entry, "hash"))
            {
                case { ValueKind: JsonValueKind.String } bare:
                    hashValue = bare.GetString()!;
                    break;
                case { ValueKind: JsonValueKind.Object } typed:
                    hashType = GraphQLJson.String(typed, "type") ?? hashType;
                    hashValue = GraphQLJson.String(typed, "value") ?? "";
                    break;
            }

            entries.Add(new PackageEntryView(
                property.Name,
                GraphQLJson.String(entry, "physicalKey") ?? "",
                GraphQLJson.WholeNumber(entry, "size") ?? 0,
                hashType,
                hashValue,
                GraphQLJson.Value(entry, "meta") ?? QuiltJsonObject.Empty));
        }

        entries.Sort((a, b) => LogicalKeyComparer.Instance.Compare(a.LogicalKey, b.LogicalKey));
        return entries;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Quilt registry GraphQL {Operation}: HTTP {Status} in {ElapsedMs} ms")]
    private static partial void LogRequest(ILogger logger, string operation, int status, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Quilt registry GraphQL {Operation} failed: {Reason}")]
    private static partial void LogFailure(ILogger logger, string operation, string reason);
}
