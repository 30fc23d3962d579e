using System.Collections.Concurrent;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Quilt.Testing;
using Quilt.Testing.Registry;

namespace QuiltMcp.Tests.Process;

/// <summary>
/// Catalog mode end to end: moto behind an <see cref="S3Gate"/> that grants each catalog user's temporary key its own
/// buckets, the test registry (every GraphQL document validated against schema.graphql) with two users, and the real
/// <c>quilt-mcp serve --mode catalog --http 127.0.0.1:0</c> holding no AWS credentials. Every tool result text the
/// tests receive is kept so that tokens and secrets can be looked for in it.
/// </summary>
internal sealed class CatalogHttpWorld : IAsyncDisposable
{
    /// <summary>Kate's catalog token (JWT-shaped; "SECRET-TOKEN" is what the leak checks look for).</summary>
    public const string KateToken = "eyJhbGciOiJIUzI1NiJ9.KATE-SECRET-TOKEN.c2lnbmF0dXJl";

    /// <summary>Leo's catalog token.</summary>
    public const string LeoToken = "eyJhbGciOiJIUzI1NiJ9.LEO-SECRET-TOKEN.c2lnbmF0dXJl";

    /// <summary>The server's own <c>QUILT_JWT</c>: valid at the registry, and never to be used for an HTTP caller.</summary>
    public const string ServerToken = "eyJhbGciOiJIUzI1NiJ9.SAM-SECRET-TOKEN.c2lnbmF0dXJl";

    /// <summary>The catalog's web address the server is given (its links point there).</summary>
    public const string CatalogUrl = "https://catalog.example.com";

    /// <summary>What must never reach a log line or a tool result: catalog tokens and the temporary secret keys.</summary>
    private static readonly string[] Secrets = ["SECRET-TOKEN", KateToken, LeoToken, ServerToken, "secret-kate", "secret-leo", "secret-sam"];

    /// <summary>Temporary session tokens: never logged, and in results only inside a presigned URL, which needs one to work.</summary>
    private static readonly string[] SessionTokens = ["session-kate", "session-leo", "session-sam"];

    private readonly List<QuiltMcpHttpServer> _servers = [];

    private CatalogHttpWorld(FakeRegistry registry, S3Gate gate, AmazonS3Client raw)
    {
        Registry = registry;
        Gate = gate;
        Raw = raw;
    }

    public FakeRegistry Registry { get; }

    public S3Gate Gate { get; }

    /// <summary>A client straight on moto with moto's own keys, for seeding and checking.</summary>
    public AmazonS3Client Raw { get; }

    public QuiltMcpHttpServer Server { get; private set; } = null!;

    public RegistryUser Kate { get; private set; } = null!;

    public RegistryUser Leo { get; private set; } = null!;

    public RegistryUser Sam { get; private set; } = null!;

    public string KateSource { get; private set; } = "";

    public string KateRegistry { get; private set; } = "";

    public string LeoSource { get; private set; } = "";

    public string LeoRegistry { get; private set; } = "";

    /// <summary>Every text of every tool result received through <see cref="CallAsync"/>.</summary>
    public ConcurrentQueue<string> ResultTexts { get; } = new();

    public static async Task<CatalogHttpWorld> StartAsync(GraphQLValidator validator, MotoServer moto, CancellationToken cancellationToken = default)
    {
        var registry = await FakeRegistry.StartAsync(validator);
        var gate = await S3Gate.StartAsync(moto.Endpoint);
        var world = new CatalogHttpWorld(registry, gate, moto.CreateRawClient());
        try
        {
            world.KateSource = await moto.CreateBucketAsync(versioned: true, cancellationToken);
            world.KateRegistry = await moto.CreateBucketAsync(versioned: true, cancellationToken);
            world.LeoSource = await moto.CreateBucketAsync(versioned: true, cancellationToken);
            world.LeoRegistry = await moto.CreateBucketAsync(versioned: true, cancellationToken);
            var samBucket = await moto.CreateBucketAsync(versioned: true, cancellationToken);
            world.Kate = registry.AddUser(KateToken, "kate", world.KateSource, world.KateRegistry);
            world.Leo = registry.AddUser(LeoToken, "leo", world.LeoSource, world.LeoRegistry);
            world.Sam = registry.AddUser(ServerToken, "sam", samBucket, world.KateSource, world.KateRegistry, world.LeoSource, world.LeoRegistry);
            foreach (var user in new[] { world.Kate, world.Leo, world.Sam })
            {
                gate.Allow(user.AccessKeyId, user.Buckets);
            }

            world.Server = await world.StartServerAsync(cancellationToken: cancellationToken);
            return world;
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts another <c>quilt-mcp serve --mode catalog --http 127.0.0.1:0</c>: catalog and registry URLs, the S3
    /// endpoint (the gate) and region, the server's own <c>QUILT_JWT</c>; no AWS keys. <paramref name="configure"/> may
    /// change the environment.
    /// </summary>
    public async Task<QuiltMcpHttpServer> StartServerAsync(Action<Dictionary<string, string?>>? configure = null, CancellationToken cancellationToken = default)
    {
        var environment = new Dictionary<string, string?>
        {
            ["QUILT_CATALOG_URL"] = CatalogUrl,
            ["QUILT_REGISTRY_URL"] = Registry.Url.AbsoluteUri,
            ["QUILT_JWT"] = ServerToken,
            ["AWS_ENDPOINT_URL_S3"] = Gate.Url.AbsoluteUri,
            ["AWS_REGION"] = MotoServer.Region,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/quilt-mcp-tests/credentials",
            ["AWS_CONFIG_FILE"] = "/nonexistent/quilt-mcp-tests/config",
        };
        configure?.Invoke(environment);
        var server = await QuiltMcpHttpServer.StartAsync(environment, ["serve", "--mode", "catalog", "--http", "127.0.0.1:0"], cancellationToken);
        _servers.Add(server);
        return server;
    }

    /// <summary>
    /// Kate's source: <c>data/a.csv</c> (stored SHA-256, user metadata, text/csv), <c>data/sub/b.json</c> (two
    /// versions) and <c>data/skip.tmp</c>. Returns the current version id of each key.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> SeedKateAsync(CancellationToken cancellationToken = default)
    {
        var versions = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["data/a.csv"] = await PutAsync(KateSource, "data/a.csv", "x,y\n1,2\n", "text/csv", checksum: true, cancellationToken, ("owner", "kate"), ("stage", "raw")),
        };
        await PutAsync(KateSource, "data/sub/b.json", "{\"old\": true}", "application/json", checksum: false, cancellationToken);
        versions["data/sub/b.json"] = await PutAsync(KateSource, "data/sub/b.json", "{\"new\": true}", "application/json", checksum: false, cancellationToken);
        versions["data/skip.tmp"] = await PutAsync(KateSource, "data/skip.tmp", "tmp", "application/octet-stream", checksum: false, cancellationToken);
        return versions;
    }

    /// <summary>Puts <paramref name="count"/> small objects under <c>data/</c> of <paramref name="bucket"/>.</summary>
    public async Task SeedAsync(string bucket, string stem, int count, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < count; i++)
        {
            await PutAsync(bucket, $"data/{stem}{i}.txt", $"{stem} {i}", "text/plain", checksum: false, cancellationToken);
        }
    }

    public async Task<string> PutAsync(string bucket, string key, string text, string contentType, bool checksum, CancellationToken cancellationToken, params (string Name, string Value)[] metadata)
    {
        var request = new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = text, ContentType = contentType };
        if (checksum)
        {
            request.ChecksumAlgorithm = ChecksumAlgorithm.SHA256;
        }

        foreach (var (name, value) in metadata)
        {
            request.Metadata[name] = value;
        }

        return (await Raw.PutObjectAsync(request, cancellationToken)).VersionId;
    }

    /// <summary>Calls a tool and keeps every text of the result (content blocks and structured content).</summary>
    public async Task<CallToolResult> CallAsync(McpClient client, string tool, Dictionary<string, object?> arguments, CancellationToken cancellationToken = default)
    {
        var result = await client.CallToolAsync(tool, arguments, cancellationToken: cancellationToken);
        foreach (var text in result.Content.OfType<TextContentBlock>())
        {
            ResultTexts.Enqueue(text.Text);
        }

        if (result.StructuredContent is { } structured)
        {
            ResultTexts.Enqueue(structured.GetRawText());
        }

        return result;
    }

    /// <summary>The text content of a tool result.</summary>
    public static string Text(CallToolResult result) => string.Join("\n", result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    /// <summary>A JSON value for a tool argument.</summary>
    public static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// No catalog token or temporary secret in anything the servers printed or any tool result text; no session token
    /// either, except in a result carrying a presigned URL (<c>X-Amz-Signature</c>).
    /// </summary>
    public void AssertNoSecrets()
    {
        var output = _servers.SelectMany(s => s.Output).ToList();
        foreach (var text in output)
        {
            foreach (var secret in Secrets.Concat(SessionTokens))
            {
                text.ShouldNotContain(secret, Case.Insensitive);
            }
        }

        foreach (var text in ResultTexts)
        {
            var presigned = text.Contains("X-Amz-Signature", StringComparison.Ordinal);
            foreach (var secret in presigned ? Secrets : Secrets.Concat(SessionTokens))
            {
                text.ShouldNotContain(secret, Case.Insensitive);
            }
        }
    }

    /// <summary>Every GraphQL document and variable set validated against schema.graphql, and every answer projected cleanly.</summary>
    public void AssertProtocolClean()
    {
        Registry.ValidationFailures.ShouldBeEmpty();
        Registry.ExecutionErrors.ShouldBeEmpty();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        Raw.Dispose();
        await Gate.DisposeAsync();
        await Registry.DisposeAsync();
    }
}
