#if QUILT_REGISTRY
// Compiled only into test projects that define QUILT_REGISTRY (<DefineConstants>$(DefineConstants);QUILT_REGISTRY</DefineConstants>)
// and reference ASP.NET Core: the test registry runs on Kestrel, and graphql_validator.py must be copied beside the tests.
using System.Text.Json.Nodes;

namespace Quilt.Testing.Registry;

/// <summary>An answer the test registry gives instead of its own, once, for one root field.</summary>
public abstract record ScriptedAnswer
{
    /// <summary>An HTTP status with a body (no GraphQL processing).</summary>
    public sealed record Http(int Status, string Body = "") : ScriptedAnswer;

    /// <summary>A GraphQL <c>errors</c> array with <c>data: null</c>.</summary>
    public sealed record Errors(JsonArray Items) : ScriptedAnswer;

    /// <summary>The root field's value (a union arm with <c>__typename</c>), projected through the document.</summary>
    public sealed record Value(JsonNode? Node) : ScriptedAnswer;

    /// <summary>Waits, then answers normally.</summary>
    public sealed record Delay(TimeSpan Time) : ScriptedAnswer;

    /// <summary>
    /// Applies the mutation (the registry commits), runs <paramref name="After"/> (e.g. cancelling the caller), then
    /// holds the answer back for <paramref name="Time"/> or until the client gives up: a response that never comes.
    /// </summary>
    public sealed record AppliedButUnanswered(TimeSpan Time, Action<FakeRegistry>? After = null) : ScriptedAnswer;

    /// <summary>Runs an action (e.g. a concurrent push), then answers normally.</summary>
    public sealed record Before(Action<FakeRegistry> Action) : ScriptedAnswer;

    public static Value InvalidInput(string? path, string message, string name, JsonObject? context = null) => new(new JsonObject
    {
        ["__typename"] = "InvalidInput",
        ["errors"] = new JsonArray(new JsonObject { ["path"] = path, ["message"] = message, ["name"] = name, ["context"] = context }),
    });

    public static Value OperationError(string name, string message, JsonObject? context = null) => new(new JsonObject
    {
        ["__typename"] = "OperationError",
        ["name"] = name,
        ["message"] = message,
        ["context"] = context,
    });
}
#endif
