using Quilt.Core.Schema;

namespace Quilt.Packaging.Workflows.Internal;

/// <summary>
/// quilt3's <c>config-1.schema.json</c> (workflows config 1.1.0) with its two <c>$ref</c>s inlined, so that the
/// project's validator (which, like quilt3 for user schemas, refuses <c>$ref</c>) can check configs with the
/// same rules and messages quilt3 would use.
/// </summary>
internal static class ConfigSchema
{
    private const string Text = """
        {
          "$schema": "http://json-schema.org/draft-07/schema#",
          "type": "object",
          "required": ["version", "workflows"],
          "additionalProperties": false,
          "properties": {
            "catalog": true,
            "version": {
              "oneOf": [
                {"type": "string", "pattern": "^[1-9][0-9]*(\\.(0|[1-9][0-9]*)){0,2}$"},
                {
                  "type": "object",
                  "additionalProperties": false,
                  "required": ["base"],
                  "properties": {
                    "base": {"type": "string", "pattern": "^[1-9][0-9]*(\\.(0|[1-9][0-9]*)){0,2}$"},
                    "catalog": {"type": "string", "pattern": "^[1-9][0-9]*(\\.(0|[1-9][0-9]*)){0,2}$"}
                  }
                }
              ]
            },
            "is_workflow_required": {"type": "boolean"},
            "default_workflow": {"type": "string"},
            "workflows": {
              "type": "object",
              "minProperties": 1,
              "propertyNames": {"pattern": "^[A-Za-z_-][A-Za-z0-9_-]*$", "maxLength": 64},
              "additionalProperties": {
                "type": "object",
                "required": ["name"],
                "additionalProperties": false,
                "properties": {
                  "catalog": true,
                  "name": {"type": "string", "minLength": 1},
                  "description": {"type": "string", "minLength": 1},
                  "handle_pattern": {"type": "string"},
                  "metadata_schema": {"type": "string"},
                  "entries_schema": {"type": "string"},
                  "is_message_required": {"type": "boolean"}
                }
              }
            },
            "schemas": {
              "type": "object",
              "minProperties": 1,
              "additionalProperties": {
                "type": "object",
                "required": ["url"],
                "properties": {"url": {"type": "string"}}
              }
            },
            "successors": {
              "type": "object",
              "minProperties": 1,
              "additionalProperties": {
                "type": "object",
                "required": ["title"],
                "properties": {
                  "title": {"type": "string", "minLength": 1},
                  "copy_data": {"type": "boolean"}
                }
              }
            }
          }
        }
        """;

    private static readonly Lazy<JsonSchema> Compiled = new(() => JsonSchema.Parse(YamlJson.FromYaml(Text)));

    public static JsonSchema Schema => Compiled.Value;
}
