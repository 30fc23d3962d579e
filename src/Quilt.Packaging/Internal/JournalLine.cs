using System.Text.Json.Serialization;

namespace Quilt.Packaging.Internal;

/// <summary>
/// One line of a run's durable journal (JSON Lines): the run header, a write's intent or outcome, an upload opened or
/// ended, the commit. Short names keep the file small; absent members are omitted.
/// </summary>
internal sealed record JournalLine
{
    /// <summary><c>run</c>, <c>intent</c>, <c>landed</c>, <c>refused</c>, <c>uncertain</c>, <c>upload</c>, <c>upload-end</c>, <c>top</c> or <c>committed</c>.</summary>
    [JsonPropertyName("t")]
    public required string Type { get; init; }

    [JsonPropertyName("id")]
    public int? Id { get; init; }

    [JsonPropertyName("kind")]
    public string? Kind { get; init; }

    [JsonPropertyName("bucket")]
    public string? Bucket { get; init; }

    [JsonPropertyName("key")]
    public string? Key { get; init; }

    [JsonPropertyName("version")]
    public string? Version { get; init; }

    [JsonPropertyName("etag")]
    public string? ETag { get; init; }

    [JsonPropertyName("upload")]
    public string? Upload { get; init; }

    [JsonPropertyName("at")]
    public DateTimeOffset? At { get; init; }

    // Header members.
    [JsonPropertyName("run")]
    public string? Run { get; init; }

    [JsonPropertyName("pid")]
    public int? Pid { get; init; }

    [JsonPropertyName("registry")]
    public string? Registry { get; init; }

    [JsonPropertyName("package")]
    public string? Package { get; init; }

    [JsonPropertyName("latest")]
    public string? Latest { get; init; }

    [JsonPropertyName("top")]
    public string? Top { get; init; }
}
