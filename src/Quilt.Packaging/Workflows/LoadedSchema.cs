using Quilt.Core.Json;

namespace Quilt.Packaging.Workflows;

/// <summary>A workflow schema fetched by the caller.</summary>
/// <param name="Id">The schema id (key in the config's <c>schemas</c>).</param>
/// <param name="EffectiveUrl">The URL actually read, including the version id returned by the store; recorded in the manifest header.</param>
/// <param name="Schema">The parsed schema document.</param>
public sealed record LoadedSchema(string Id, string EffectiveUrl, QuiltJsonValue Schema);
