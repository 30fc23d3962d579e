using Quilt.Core.Json;

namespace Quilt.Catalog;

/// <summary>
/// The registry's <c>PackagePushParams</c> input: which package to write and the header the registry puts on it.
/// The three workflow cases of quilt3 are kept apart because the registry reads them differently.
/// </summary>
/// <param name="Bucket">The registry bucket (a name, no <c>s3://</c>).</param>
/// <param name="Name">The package name, <c>namespace/name</c>.</param>
/// <param name="Message">The commit message, or null for none.</param>
/// <param name="UserMeta">Package metadata (header <c>user_meta</c>), or null for none.</param>
/// <param name="Workflow">
/// Null: the bucket's default workflow; <c>""</c>: explicitly no workflow; otherwise a workflow id.
/// </param>
public sealed record PackagePushParameters(string Bucket, string Name, string? Message, QuiltJsonObject? UserMeta, string? Workflow);
