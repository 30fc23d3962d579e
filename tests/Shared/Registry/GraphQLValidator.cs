#if QUILT_REGISTRY
// Compiled only into test projects that define QUILT_REGISTRY (<DefineConstants>$(DefineConstants);QUILT_REGISTRY</DefineConstants>)
// and reference ASP.NET Core: the test registry runs on Kestrel, and graphql_validator.py must be copied beside the tests.
using System.Diagnostics;
using System.Text.Json.Nodes;
using Quilt.Testing;

namespace Quilt.Testing.Registry;

/// <summary>
/// A long-lived Python process (graphql-core 3.2) that validates GraphQL documents and variables against
/// shared/quilt/schema.graphql and projects answers through documents. One request at a time.
/// </summary>
public sealed class GraphQLValidator : IDisposable
{
    private readonly Process _process;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public GraphQLValidator()
    {
        var schema = Path.Combine(RepoPaths.Shared, "quilt", "schema.graphql");
        var script = Path.Combine(AppContext.BaseDirectory, "TestRegistry", "graphql_validator.py");
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(schema);
        ChildEnvironment.Apply(start);
        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"The GraphQL validator (python3 with graphql-core) could not be started: {e.Message}", e);
        }

        var ready = _process.StandardOutput.ReadLine();
        if (ready is null || !ready.Contains("ready", StringComparison.Ordinal))
        {
            var error = _process.StandardError.ReadToEnd();
            throw new InvalidOperationException($"The GraphQL validator did not start (python3 with graphql-core 3.2 is needed): {error}");
        }
    }

    public static string SchemaPath => Path.Combine(RepoPaths.Shared, "quilt", "schema.graphql");

    /// <summary>Validates a document and its variables; returns the errors (empty when valid), the operation type and root fields with coerced arguments.</summary>
    public async Task<ValidationAnswer> ValidateAsync(string query, JsonObject? variables, string? operationName)
    {
        var answer = await AskAsync(new JsonObject
        {
            ["op"] = "validate",
            ["query"] = query,
            ["variables"] = variables?.DeepClone(),
            ["operationName"] = operationName,
        });
        var errors = answer["errors"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        var fields = answer["fields"]?.AsArray().Select(f => new RootField(f!["name"]!.GetValue<string>(), (JsonObject)(f["args"]?.DeepClone() ?? new JsonObject()))).ToList() ?? [];
        return new ValidationAnswer(errors, answer["operation"]?.GetValue<string>(), fields);
    }

    /// <summary>Projects <paramref name="root"/> through the document: the GraphQL answer (<c>data</c>, <c>errors</c>).</summary>
    public async Task<JsonObject> ExecuteAsync(string query, JsonObject? variables, string? operationName, JsonObject root)
    {
        var answer = await AskAsync(new JsonObject
        {
            ["op"] = "execute",
            ["query"] = query,
            ["variables"] = variables?.DeepClone(),
            ["operationName"] = operationName,
            ["root"] = root.DeepClone(),
        });
        if (answer["fatal"] is not null)
        {
            throw new InvalidOperationException("The GraphQL validator failed: " + answer["errors"]);
        }

        return answer;
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000))
            {
                _process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _gate.Dispose();
    }

    private async Task<JsonObject> AskAsync(JsonObject request)
    {
        await _gate.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync(request.ToJsonString());
            await _process.StandardInput.FlushAsync();
            var line = await _process.StandardOutput.ReadLineAsync()
                ?? throw new InvalidOperationException("The GraphQL validator exited: " + await _process.StandardError.ReadToEndAsync());
            return JsonNode.Parse(line)!.AsObject();
        }
        finally
        {
            _gate.Release();
        }
    }
}

public sealed record RootField(string Name, JsonObject Args);

public sealed record ValidationAnswer(IReadOnlyList<string> Errors, string? Operation, IReadOnlyList<RootField> Fields);
#endif
