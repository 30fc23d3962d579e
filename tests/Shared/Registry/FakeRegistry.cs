#if QUILT_REGISTRY
// Compiled only into test projects that define QUILT_REGISTRY (<DefineConstants>$(DefineConstants);QUILT_REGISTRY</DefineConstants>)
// and reference ASP.NET Core: the test registry runs on Kestrel, and graphql_validator.py must be copied beside the tests.
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Quilt.Testing.Registry;

/// <summary>
/// A local stand-in for the Quilt registry: <c>/graphql</c>, <c>/api/auth/get_credentials</c> and the catalog's
/// <c>/config.json</c>, on Kestrel at 127.0.0.1 on a free port. Every GraphQL request is validated against
/// shared/quilt/schema.graphql (document and variables) by the Python validator, answered the way the registry
/// answers (PackagePushSuccess, InvalidInput, OperationError, null for what a user cannot see), projected through the
/// document, and recorded.
/// </summary>
public sealed class FakeRegistry : IAsyncDisposable
{
    private readonly GraphQLValidator _validator;
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RegistryUser> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Bucket, string Name), FakePackage> _packages = [];
    private readonly Dictionary<string, Queue<ScriptedAnswer>> _scripts = new(StringComparer.Ordinal);
    private long _clockTicks = DateTimeOffset.Parse("2026-01-02T03:04:05Z", CultureInfo.InvariantCulture).UtcTicks;

    private FakeRegistry(GraphQLValidator validator, WebApplication app)
    {
        _validator = validator;
        _app = app;
    }

    public Uri Url { get; private set; } = null!;

    public ConcurrentQueue<RecordedCall> Calls { get; } = new();

    /// <summary>Documents or variables that did not validate against the schema; tests assert this stays empty.</summary>
    public ConcurrentQueue<string> ValidationFailures { get; } = new();

    /// <summary>Errors while projecting answers through documents (fake data missing a selected non-null field).</summary>
    public ConcurrentQueue<string> ExecutionErrors { get; } = new();

    public ConcurrentDictionary<string, int> CredentialRequests { get; } = new(StringComparer.Ordinal);

    /// <summary>Deployment limit on entries the registry hashes itself (TooManyFilesToHash); null for none.</summary>
    public int? MaxFilesToHash { get; set; }

    /// <summary>Whether packagePromote is allowed (the workflow config lists the bucket as a successor).</summary>
    public bool PromoteAllowed { get; set; } = true;

    public TimeSpan CredentialLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Delay before the credentials endpoint answers (to overlap concurrent callers).</summary>
    public TimeSpan? CredentialsDelay { get; set; }

    /// <summary>Raw body the credentials endpoint answers instead of credentials; null for normal answers.</summary>
    public string? CredentialsBody { get; set; }

    /// <summary>HTTP status the credentials endpoint answers instead of credentials; null for normal answers.</summary>
    public int? CredentialsFailureStatus { get; set; }

    /// <summary>What /config.json serves; by default {"registryUrl": Url}.</summary>
    public JsonNode? CatalogConfig { get; set; }

    /// <summary>Raw text /config.json serves instead of <see cref="CatalogConfig"/>.</summary>
    public string? CatalogConfigText { get; set; }

    public static async Task<FakeRegistry> StartAsync(GraphQLValidator validator)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var registry = new FakeRegistry(validator, app);
        app.MapPost("/graphql", (Delegate)registry.GraphQLAsync);
        app.MapGet("/api/auth/get_credentials", (Delegate)registry.CredentialsAsync);
        app.MapGet("/config.json", (HttpContext context) => Results.Text(registry.CatalogConfigText ?? (registry.CatalogConfig ?? new JsonObject { ["registryUrl"] = registry.Url.AbsoluteUri.TrimEnd('/') }).ToJsonString(), "application/json"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        registry.Url = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        return registry;
    }

    public RegistryUser AddUser(string token, string name, params string[] buckets)
    {
        var user = new RegistryUser(token, name, buckets.ToHashSet(StringComparer.Ordinal));
        lock (_gate)
        {
            _users[token] = user;
        }

        return user;
    }

    /// <summary>Queues an answer for the next request to <paramref name="field"/>.</summary>
    public void Script(string field, ScriptedAnswer answer)
    {
        lock (_gate)
        {
            if (!_scripts.TryGetValue(field, out var queue))
            {
                _scripts[field] = queue = new Queue<ScriptedAnswer>();
            }

            queue.Enqueue(answer);
        }
    }

    public IReadOnlyList<RecordedCall> CallsTo(string field) => Calls.Where(c => c.Field == field).ToList();

    /// <summary>Pushes a revision directly (another user's concurrent push, or a fixture), returning its hash.</summary>
    public string Seed(string bucket, string name, string? message, params (string LogicalKey, string PhysicalKey, long Size)[] entries)
    {
        var manifest = new FakeManifest(message, null, null, entries.Select(e => new FakeEntry(e.LogicalKey, e.PhysicalKey, e.Size, "sha2-256-chunked", FakeHash(e.PhysicalKey), new JsonObject())).ToList());
        lock (_gate)
        {
            return Commit(bucket, name, manifest);
        }
    }

    public IReadOnlyList<string> RevisionHashes(string bucket, string name)
    {
        lock (_gate)
        {
            return _packages.TryGetValue((bucket, name), out var p) ? p.Pointers.Select(x => x.Hash).Reverse().ToList() : [];
        }
    }

    public string? Latest(string bucket, string name)
    {
        lock (_gate)
        {
            return _packages.TryGetValue((bucket, name), out var p) && p.Pointers.Count > 0 ? p.Pointers[^1].Hash : null;
        }
    }

    public FakeManifest? Manifest(string bucket, string name, string hash)
    {
        lock (_gate)
        {
            return _packages.TryGetValue((bucket, name), out var p) ? p.Manifests.GetValueOrDefault(hash) : null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static string? Bearer(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : null;
    }

    private async Task<IResult> CredentialsAsync(HttpContext context)
    {
        if (CredentialsDelay is { } delay)
        {
            await Task.Delay(delay);
        }

        var token = Bearer(context);
        RegistryUser? user;
        lock (_gate)
        {
            user = token is null ? null : _users.GetValueOrDefault(token);
        }

        if (user is null)
        {
            return Results.Json(new JsonObject { ["message"] = "Unauthorized" }, statusCode: 401);
        }

        var n = CredentialRequests.AddOrUpdate(token!, 1, (_, v) => v + 1);
        if (CredentialsFailureStatus is { } status)
        {
            return Results.Text("{\"message\": \"failed\"}", "application/json", statusCode: status);
        }

        if (CredentialsBody is { } raw)
        {
            return Results.Text(raw, "application/json");
        }

        return Results.Text(new JsonObject
        {
            ["AccessKeyId"] = user.AccessKeyId,
            ["SecretAccessKey"] = "secret-" + user.Name,
            ["SessionToken"] = $"session-{user.Name}-{n}",
            ["Expiration"] = (DateTimeOffset.UtcNow + CredentialLifetime).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        }.ToJsonString(), "application/json");
    }

    private async Task<IResult> GraphQLAsync(HttpContext context)
    {
        var token = Bearer(context);
        RegistryUser? user;
        lock (_gate)
        {
            user = token is null ? null : _users.GetValueOrDefault(token);
        }

        if (user is null)
        {
            return Results.Json(new JsonObject { ["message"] = "Unauthorized" }, statusCode: 401);
        }

        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        var query = body["query"]!.GetValue<string>();
        var variables = body["variables"] as JsonObject;
        var operationName = body["operationName"]?.GetValue<string>();
        var validation = await _validator.ValidateAsync(query, variables, operationName);
        if (validation.Errors.Count > 0)
        {
            ValidationFailures.Enqueue($"{operationName}: {string.Join("; ", validation.Errors)}");
            return Results.Json(new JsonObject { ["errors"] = new JsonArray(validation.Errors.Select(e => (JsonNode)new JsonObject { ["message"] = e }).ToArray()) }, statusCode: 400);
        }

        var root = new JsonObject();
        foreach (var field in validation.Fields)
        {
            Calls.Enqueue(new RecordedCall(token!, user.Name, field.Name, field.Args, variables?.DeepClone().AsObject() ?? []));
            var scripted = Dequeue(field.Name);
            switch (scripted)
            {
                case ScriptedAnswer.Http http:
                    return Results.Text(http.Body, "application/json", statusCode: http.Status);
                case ScriptedAnswer.Errors errors:
                    return Results.Text(new JsonObject { ["data"] = null, ["errors"] = errors.Items.DeepClone() }.ToJsonString(), "application/json");
                case ScriptedAnswer.Value value:
                    root[field.Name] = value.Node?.DeepClone();
                    continue;
                case ScriptedAnswer.Delay delay:
                    await Task.Delay(delay.Time, context.RequestAborted);
                    break;
                case ScriptedAnswer.Before before:
                    before.Action(this);
                    break;
                case ScriptedAnswer.AppliedButUnanswered applied:
                    lock (_gate)
                    {
                        root[field.Name] = Resolve(user, field, variables ?? []);
                    }

                    applied.After?.Invoke(this);
                    try
                    {
                        await Task.Delay(applied.Time, context.RequestAborted);
                    }
                    catch (OperationCanceledException)
                    {
                        return Results.Empty; // the client went away; the mutation stays applied
                    }

                    continue;
            }

            lock (_gate)
            {
                root[field.Name] = Resolve(user, field, variables ?? []);
            }
        }

        var answer = await _validator.ExecuteAsync(query, variables, operationName, root);
        var result = new JsonObject { ["data"] = answer["data"]?.DeepClone() };
        if (answer["errors"] is JsonArray { Count: > 0 } executionErrors)
        {
            ExecutionErrors.Enqueue($"{operationName}: {executionErrors.ToJsonString()}");
            result["errors"] = executionErrors.DeepClone();
        }

        return Results.Text(result.ToJsonString(), "application/json");
    }

    private ScriptedAnswer? Dequeue(string field)
    {
        lock (_gate)
        {
            return _scripts.TryGetValue(field, out var queue) && queue.Count > 0 ? queue.Dequeue() : null;
        }
    }

    private JsonObject? Resolve(RegistryUser user, RootField field, JsonObject variables) => field.Name switch
    {
        "packageConstruct" => Construct(user, field.Args),
        "packagePromote" => Promote(user, field.Args),
        "packageRevisionDelete" => DeleteRevision(user, field.Args),
        "package" => PackageNode(user, Str(field.Args, "bucket")!, Str(field.Args, "name")!, variables),
        "packages" => PackagesNode(user, Str(field.Args, "bucket")!, variables),
        _ => throw new InvalidOperationException("The test registry does not implement " + field.Name),
    };

    private JsonObject Construct(RegistryUser user, JsonObject args)
    {
        var parameters = args["params"]!.AsObject();
        var bucket = Str(parameters, "bucket")!;
        var name = Str(parameters, "name")!;
        if (!user.Buckets.Contains(bucket))
        {
            return OperationError("Forbidden", $"Access denied to s3://{bucket}.");
        }

        if (!System.Text.RegularExpressions.Regex.IsMatch(name, @"^[\w-]+/[\w-]+$"))
        {
            return InvalidInputNode("params.name", "Invalid package name.", "InvalidPackageName");
        }

        var entries = args["src"]!["entries"]!.AsArray();
        var list = new List<FakeEntry>();
        var toHash = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i]!.AsObject();
            var pk = Str(e, "physicalKey")!;
            if (!pk.StartsWith("s3://", StringComparison.Ordinal))
            {
                return InvalidInputNode($"src.entries.{i}.physicalKey", $"Invalid S3 physical key: {pk}", "InvalidS3PhysicalKey");
            }

            var hash = e["hash"] as JsonObject;
            var size = e["size"] is JsonValue s ? (long)s.GetValue<double>() : 0;
            if (hash is null)
            {
                toHash++;
                if (MaxFilesToHash is { } max && toHash > max)
                {
                    return OperationError("TooManyFilesToHash", "Too many files to hash", new JsonObject { ["num_files"] = toHash, ["max_files"] = max });
                }
            }

            list.Add(new FakeEntry(
                Str(e, "logicalKey")!,
                pk,
                size,
                hash is null ? "sha2-256-chunked" : Str(hash, "type")!,
                hash is null ? FakeHash(pk) : Str(hash, "value")!,
                e["meta"]?.DeepClone() ?? new JsonObject()));
        }

        var manifest = new FakeManifest(Str(parameters, "message"), parameters["userMeta"]?.DeepClone(), Str(parameters, "workflow"), list);
        var topHash = Commit(bucket, name, manifest);
        return Success(bucket, name, topHash);
    }

    private JsonObject Promote(RegistryUser user, JsonObject args)
    {
        var parameters = args["params"]!.AsObject();
        var src = args["src"]!.AsObject();
        var bucket = Str(parameters, "bucket")!;
        var name = Str(parameters, "name")!;
        if (!user.Buckets.Contains(bucket) || !user.Buckets.Contains(Str(src, "bucket")!))
        {
            return OperationError("Forbidden", "Access denied.");
        }

        if (!PromoteAllowed)
        {
            return OperationError("InvalidSuccessor", "Invalid successor", new JsonObject { ["successor"] = "s3://" + bucket });
        }

        if (!_packages.TryGetValue((Str(src, "bucket")!, Str(src, "name")!), out var source) || !source.Manifests.TryGetValue(Str(src, "hash")!, out var original))
        {
            return OperationError("NoSuchKey", "The source revision does not exist.");
        }

        var prefix = Str(args, "destPrefix") ?? name + "/";
        var copied = original with
        {
            Message = Str(parameters, "message"),
            UserMeta = parameters["userMeta"]?.DeepClone(),
            Workflow = Str(parameters, "workflow"),
            Entries = original.Entries.Select(e => e with { PhysicalKey = $"s3://{bucket}/{prefix}{e.LogicalKey}?versionId=copy" }).ToList(),
        };
        return Success(bucket, name, Commit(bucket, name, copied));
    }

    private JsonObject DeleteRevision(RegistryUser user, JsonObject args)
    {
        var bucket = Str(args, "bucket")!;
        var name = Str(args, "name")!;
        var hash = Str(args, "hash")!;
        if (!user.Buckets.Contains(bucket))
        {
            return OperationError("Forbidden", "Access denied.");
        }

        if (!_packages.TryGetValue((bucket, name), out var package) || !package.Manifests.Remove(hash))
        {
            return OperationError("NoSuchKey", $"Revision {hash} does not exist.");
        }

        package.Pointers.RemoveAll(p => p.Hash == hash);
        return new JsonObject { ["__typename"] = "PackageRevisionDeleteSuccess", ["_"] = true };
    }

    private JsonObject? PackageNode(RegistryUser user, string bucket, string name, JsonObject variables)
    {
        if (!user.Buckets.Contains(bucket) || !_packages.TryGetValue((bucket, name), out var package) || package.Pointers.Count == 0)
        {
            return null;
        }

        var newestFirst = Enumerable.Reverse(package.Pointers).ToList();
        var page = variables["page"] is JsonValue p ? p.GetValue<int>() : 1;
        var perPage = variables["perPage"] is JsonValue pp ? pp.GetValue<int>() : 10;
        var hashOrTag = variables["hashOrTag"] is JsonValue h ? h.GetValue<string>() : "latest";
        var max = variables["max"] is JsonValue m ? m.GetValue<int>() : 1000;
        var wanted = hashOrTag == "latest" ? newestFirst[0].Hash : hashOrTag;
        var pointer = newestFirst.FirstOrDefault(x => x.Hash == wanted);
        return new JsonObject
        {
            ["bucket"] = bucket,
            ["name"] = name,
            ["modified"] = Time(newestFirst[0].Modified),
            ["revisions"] = new JsonObject
            {
                ["total"] = newestFirst.Count,
                ["page"] = new JsonArray(newestFirst.Skip((page - 1) * perPage).Take(perPage).Select(x => RevisionNode(package, x, max)).ToArray()),
            },
            ["revision"] = pointer is null ? null : RevisionNode(package, pointer, max),
        };
    }

    private JsonObject? PackagesNode(RegistryUser user, string bucket, JsonObject variables)
    {
        if (!user.Buckets.Contains(bucket))
        {
            return null;
        }

        var names = _packages.Where(p => p.Key.Bucket == bucket && p.Value.Pointers.Count > 0).Select(p => p.Key.Name).Order(StringComparer.Ordinal).ToList();
        var page = variables["page"] is JsonValue p ? p.GetValue<int>() : 1;
        var perPage = variables["perPage"] is JsonValue pp ? pp.GetValue<int>() : 30;
        return new JsonObject
        {
            ["total"] = names.Count,
            ["page"] = new JsonArray(names.Skip((page - 1) * perPage).Take(perPage).Select(n => PackageNode(user, bucket, n, [])).ToArray()),
        };
    }

    private static JsonObject RevisionNode(FakePackage package, Pointer pointer, int max)
    {
        var manifest = package.Manifests[pointer.Hash];
        JsonObject? flat = null;
        if (manifest.Entries.Count <= max)
        {
            flat = [];
            foreach (var e in manifest.Entries)
            {
                flat[e.LogicalKey] = new JsonObject
                {
                    ["physicalKey"] = e.PhysicalKey,
                    ["size"] = e.Size,
                    ["hash"] = new JsonObject { ["type"] = e.HashType, ["value"] = e.HashValue },
                    ["meta"] = e.Meta?.DeepClone(),
                };
            }
        }

        return new JsonObject
        {
            ["hash"] = pointer.Hash,
            ["modified"] = Time(pointer.Modified),
            ["message"] = manifest.Message,
            ["metadata"] = new JsonObject { ["version"] = "v0", ["message"] = manifest.Message, ["user_meta"] = manifest.UserMeta?.DeepClone() },
            ["userMeta"] = manifest.UserMeta?.DeepClone(),
            ["totalEntries"] = manifest.Entries.Count,
            ["totalBytes"] = manifest.Entries.Sum(e => e.Size),
            ["contentsFlatMap"] = flat,
        };
    }

    private JsonObject Success(string bucket, string name, string hash)
    {
        var package = _packages[(bucket, name)];
        var pointer = package.Pointers[^1];
        return new JsonObject
        {
            ["__typename"] = "PackagePushSuccess",
            ["package"] = PackageNode(new RegistryUser("", "", new HashSet<string>(StringComparer.Ordinal) { bucket }), bucket, name, []),
            ["revision"] = RevisionNode(package, pointer, 0),
        };
    }

    private string Commit(string bucket, string name, FakeManifest manifest)
    {
        var hash = TopHash(manifest);
        if (!_packages.TryGetValue((bucket, name), out var package))
        {
            _packages[(bucket, name)] = package = new FakePackage();
        }

        package.Manifests[hash] = manifest;
        _clockTicks += TimeSpan.TicksPerSecond;
        package.Pointers.Add(new Pointer(hash, new DateTimeOffset(_clockTicks, TimeSpan.Zero)));
        return hash;
    }

    /// <summary>Like quilt's top hash, physical keys are left out: the same content elsewhere is the same revision.</summary>
    private static string TopHash(FakeManifest manifest)
    {
        var parts = new JsonObject
        {
            ["message"] = manifest.Message,
            ["user_meta"] = manifest.UserMeta?.DeepClone(),
            ["workflow"] = manifest.Workflow,
            ["entries"] = new JsonArray(manifest.Entries.OrderBy(e => e.LogicalKey, StringComparer.Ordinal)
                .Select(e => (JsonNode)new JsonObject { ["k"] = e.LogicalKey, ["h"] = e.HashValue, ["s"] = e.Size, ["m"] = e.Meta?.DeepClone() }).ToArray()),
        };
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(parts.ToJsonString())));
    }

    public static string FakeHash(string physicalKey) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("registry-hashed:" + physicalKey)));

    private static JsonObject OperationError(string name, string message, JsonObject? context = null) =>
        (JsonObject)ScriptedAnswer.OperationError(name, message, context).Node!;

    private static JsonObject InvalidInputNode(string path, string message, string name) =>
        (JsonObject)ScriptedAnswer.InvalidInput(path, message, name).Node!;

    private static string? Str(JsonObject o, string name) => o[name] is JsonValue v ? v.GetValue<string>() : null;

    private static string Time(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private sealed class FakePackage
    {
        public List<Pointer> Pointers { get; } = [];

        public Dictionary<string, FakeManifest> Manifests { get; } = new(StringComparer.Ordinal);
    }

    private sealed record Pointer(string Hash, DateTimeOffset Modified);
}

public sealed record RegistryUser(string Token, string Name, IReadOnlySet<string> Buckets)
{
    public string AccessKeyId => "AKIA" + Name.ToUpperInvariant();
}

public sealed record RecordedCall(string Token, string User, string Field, JsonObject Args, JsonObject Variables);

public sealed record FakeEntry(string LogicalKey, string PhysicalKey, long Size, string HashType, string HashValue, JsonNode? Meta);

public sealed record FakeManifest(string? Message, JsonNode? UserMeta, string? Workflow, List<FakeEntry> Entries);
#endif
