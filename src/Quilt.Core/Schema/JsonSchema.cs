using Quilt.Core.Json;
using Quilt.Core.Schema.Internal;

namespace Quilt.Core.Schema;

/// <summary>
/// A draft-07 JSON Schema, compiled once and usable for many instances. Written by hand because no suitable
/// validator exists on the package mirror; it follows Python's jsonschema (which quilt3 uses) wherever the
/// two could differ: <c>1.0</c> is an integer, <c>1 == 1.0</c> but <c>true != 1</c>, string lengths count
/// code points, <c>pattern</c> uses Python <c>re.search</c> semantics, and <c>format</c> is never asserted.
/// Like quilt3 workflows, it rejects <c>$ref</c> and any meta-schema other than draft-07.
/// </summary>
public sealed class JsonSchema
{
    private readonly SchemaNode _root;

    private JsonSchema(QuiltJsonValue document, SchemaNode root)
    {
        Document = document;
        _root = root;
    }

    /// <summary>The schema document this was compiled from.</summary>
    public QuiltJsonValue Document { get; }

    /// <summary>
    /// Compiles a schema (an object or a boolean). Throws <see cref="Errors.QuiltException"/> (InvalidInput) when
    /// the schema uses <c>$ref</c>, names a meta-schema other than draft-07, or is not a valid draft-07 schema.
    /// </summary>
    public static JsonSchema Parse(QuiltJsonValue schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return new JsonSchema(schema, SchemaCompiler.Compile(schema));
    }

    /// <summary>Validates <paramref name="instance"/>, collecting every error (not only the first).</summary>
    public SchemaValidationResult Validate(QuiltJsonValue instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var errors = new List<SchemaError>();
        return _root.Evaluate(instance, null, errors) ? SchemaValidationResult.Valid : new SchemaValidationResult(false, errors);
    }

    /// <summary>Whether <paramref name="instance"/> is valid; cheaper than <see cref="Validate"/> since it stops at the first error.</summary>
    public bool IsValid(QuiltJsonValue instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return _root.Evaluate(instance, null, null);
    }
}
