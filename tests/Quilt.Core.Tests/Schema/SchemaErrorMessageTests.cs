using Quilt.Core.Json;
using Quilt.Core.Schema;

namespace Quilt.Core.Tests.Schema;

/// <summary>Error messages and paths: users and AI models read these, so their wording is part of the contract.</summary>
public sealed class SchemaErrorMessageTests
{
    private static SchemaError Single(string schema, string instance)
    {
        var result = JsonSchema.Parse(TestJson.Parse(schema)).Validate(TestJson.Parse(instance));
        result.IsValid.ShouldBeFalse();
        return result.Errors.ShouldHaveSingleItem();
    }

    [Theory]
    [InlineData("""{"required": ["title"]}""", "{}", "", "/required", "'title' is a required property")]
    [InlineData("""{"type": "integer"}""", "1.5", "", "/type", "1.5 is not of type 'integer'")]
    [InlineData("""{"type": ["integer", "string"]}""", "null", "", "/type", "null is not of type 'integer', 'string'")]
    [InlineData("""{"type": "string"}""", "[true, false, null]", "", "/type", "[true, false, null] is not of type 'string'")]
    [InlineData("""{"enum": ["a", 1, null]}""", "\"b\"", "", "/enum", "'b' is not one of ['a', 1, null]")]
    [InlineData("""{"const": "a"}""", "\"b\"", "", "/const", "'a' was expected")]
    [InlineData("""{"minimum": 2}""", "1", "", "/minimum", "1 is less than the minimum of 2")]
    [InlineData("""{"maximum": 2.5}""", "3", "", "/maximum", "3 is greater than the maximum of 2.5")]
    [InlineData("""{"exclusiveMinimum": 1}""", "1.0", "", "/exclusiveMinimum", "1.0 is less than or equal to the minimum of 1")]
    [InlineData("""{"exclusiveMaximum": 1e20}""", "1e20", "", "/exclusiveMaximum", "1e+20 is greater than or equal to the maximum of 1e+20")]
    [InlineData("""{"multipleOf": 0.01}""", "0.001", "", "/multipleOf", "0.001 is not a multiple of 0.01")]
    [InlineData("""{"minLength": 3}""", "\"ab\"", "", "/minLength", "'ab' is too short (minimum length 3)")]
    [InlineData("""{"maxLength": 1}""", "\"it's\"", "", "/maxLength", "\"it's\" is too long (maximum length 1)")]
    [InlineData("""{"minItems": 2}""", "[1]", "", "/minItems", "[1] is too short (minimum 2 items)")]
    [InlineData("""{"maxItems": 0}""", "[1]", "", "/maxItems", "[1] is too long (maximum 0 items)")]
    [InlineData("""{"minProperties": 1}""", "{}", "", "/minProperties", "{} does not have enough properties (minimum 1)")]
    [InlineData("""{"maxProperties": 1}""", """{"a": 1, "b": 2}""", "", "/maxProperties", "{'a': 1, 'b': 2} has too many properties (maximum 1)")]
    [InlineData("""{"pattern": "^a"}""", "\"b\\n\"", "", "/pattern", "'b\\n' does not match '^a'")]
    [InlineData("""{"uniqueItems": true}""", "[1, 1]", "", "/uniqueItems", "[1, 1] has non-unique elements")]
    [InlineData("""{"contains": {"type": "string"}}""", "[1]", "", "/contains", "[1] does not contain items matching the given schema")]
    [InlineData("""{"anyOf": [{"type": "string"}, {"minimum": 5}]}""", "1", "", "/anyOf", "1 is not valid under any of the given schemas")]
    [InlineData("""{"oneOf": [{"type": "string"}, {"minimum": 5}]}""", "1", "", "/oneOf", "1 is not valid under any of the given schemas")]
    [InlineData("""{"oneOf": [{"type": "integer"}, {"minimum": 5}, {"type": "string"}]}""", "6", "", "/oneOf", "6 is valid under more than one of the given schemas (subschemas 0, 1)")]
    [InlineData("""{"not": {"type": "integer"}}""", "6", "", "/not", "6 should not be valid under {'type': 'integer'}")]
    [InlineData("false", "{}", "", "", "False schema does not allow {}")]
    [InlineData("""{"properties": {"a": false}}""", """{"a": 1}""", "/a", "/properties/a", "False schema does not allow 1")]
    [InlineData("""{"dependencies": {"a": ["b"]}}""", """{"a": 1}""", "", "/dependencies", "'b' is a dependency of 'a'")]
    [InlineData("""{"dependencies": {"a": {"required": ["c"]}}}""", """{"a": 1}""", "", "/dependencies/a/required", "'c' is a required property")]
    [InlineData("""{"propertyNames": {"maxLength": 2}}""", """{"abc": 1}""", "", "/propertyNames/maxLength", "'abc' is too long (maximum length 2)")]
    [InlineData("""{"if": {"type": "integer"}, "then": {"minimum": 5}, "else": {"type": "string"}}""", "1", "", "/then/minimum", "1 is less than the minimum of 5")]
    [InlineData("""{"if": {"type": "integer"}, "then": {"minimum": 5}, "else": {"type": "string"}}""", "1.5", "", "/else/type", "1.5 is not of type 'string'")]
    [InlineData("""{"additionalProperties": false}""", """{"x": 1}""", "", "/additionalProperties", "Additional properties are not allowed ('x' was unexpected)")]
    [InlineData("""{"properties": {"a": {}}, "additionalProperties": false}""", """{"a": 1, "x": 1, "y": 2}""", "", "/additionalProperties", "Additional properties are not allowed ('x', 'y' were unexpected)")]
    [InlineData("""{"patternProperties": {"^b": {}, "^a": {}}, "additionalProperties": false}""", """{"x": 1}""", "", "/additionalProperties", "'x' does not match any of the regexes: '^a', '^b'")]
    [InlineData("""{"patternProperties": {"^a": {}}, "additionalProperties": false}""", """{"x": 1, "y": 1}""", "", "/additionalProperties", "'x', 'y' do not match any of the regexes: '^a'")]
    [InlineData("""{"items": [{}], "additionalItems": false}""", "[1, \"two\", 3]", "", "/additionalItems", "Additional items are not allowed ('two', 3 were unexpected)")]
    [InlineData("""{"items": [{}], "additionalItems": false}""", "[1, 2]", "", "/additionalItems", "Additional items are not allowed (2 was unexpected)")]
    [InlineData("""{"patternProperties": {"^n": {"type": "integer"}}}""", """{"num": "1"}""", "/num", "/patternProperties/^n/type", "'1' is not of type 'integer'")]
    [InlineData("""{"additionalProperties": {"type": "integer"}}""", """{"a/b~c": "1"}""", "/a~1b~0c", "/additionalProperties/type", "'1' is not of type 'integer'")]
    public void Validate_Failure_ReportsJsonschemaStyleMessageAndPaths(string schema, string instance, string instancePath, string schemaPath, string message)
    {
        var error = Single(schema, instance);

        error.ShouldBe(new SchemaError(instancePath, schemaPath, message));
    }

    [Fact]
    public void Validate_ManyProblems_ReportsAllInSchemaOrderWithNestedPaths()
    {
        const string schema = """
            {
              "type": "object",
              "required": ["title", "tags", "owner"],
              "properties": {
                "title": {"type": "string", "minLength": 1},
                "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true},
                "size": {"type": "integer", "minimum": 0}
              },
              "additionalProperties": false
            }
            """;
        const string instance = """{"title": "", "tags": ["a", 2, "a"], "size": -1.5, "extra": true}""";

        var result = JsonSchema.Parse(TestJson.Parse(schema)).Validate(TestJson.Parse(instance));

        result.IsValid.ShouldBeFalse();
        result.Errors.Select(e => e.ToString()).ShouldBe([
            "'owner' is a required property",
            "/title: '' is too short (minimum length 1)",
            "/tags/1: 2 is not of type 'string'",
            "/tags: ['a', 2, 'a'] has non-unique elements",
            "/size: -1.5 is not of type 'integer'",
            "/size: -1.5 is less than the minimum of 0",
            "Additional properties are not allowed ('extra' was unexpected)",
        ]);
        result.Errors[2].SchemaPath.ShouldBe("/properties/tags/items/type");
        result.Errors[0].SchemaPath.ShouldBe("/required");
    }

    [Fact]
    public void Validate_AllOf_ReportsEveryBranchError()
    {
        var result = JsonSchema.Parse(TestJson.Parse("""{"allOf": [{"type": "string"}, {"minimum": 3}]}""")).Validate(new QuiltJsonInteger(1));

        result.Errors.Select(e => e.SchemaPath).ShouldBe(["/allOf/0/type", "/allOf/1/minimum"]);
    }

    [Fact]
    public void Validate_HugeValue_IsTruncatedInMessage()
    {
        var big = new QuiltJsonArray(Enumerable.Range(0, 1000).Select(i => (QuiltJsonValue)new QuiltJsonString("item" + i)));

        var error = JsonSchema.Parse(TestJson.Parse("""{"maxItems": 2}""")).Validate(big).Errors.ShouldHaveSingleItem();

        error.Message.Length.ShouldBeLessThan(140);
        error.Message.ShouldStartWith("['item0', 'item1', ");
        error.Message.ShouldEndWith("... is too long (maximum 2 items)");
    }

    [Fact]
    public void Validate_ManyUnexpectedProperties_ListsTenAndCountsTheRest()
    {
        var members = Enumerable.Range(0, 15).Select(i => new KeyValuePair<string, QuiltJsonValue>("p" + i, QuiltJsonNull.Instance));

        var error = JsonSchema.Parse(TestJson.Parse("""{"additionalProperties": false}""")).Validate(new QuiltJsonObject(members)).Errors.ShouldHaveSingleItem();

        error.Message.ShouldBe("Additional properties are not allowed ('p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9' and 5 more were unexpected)");
    }

    [Fact]
    public void ToString_RootError_IsJustTheMessage()
    {
        new SchemaError("", "/type", "m").ToString().ShouldBe("m");
        new SchemaError("/a", "/type", "m").ToString().ShouldBe("/a: m");
    }

    [Fact]
    public void Valid_IsSharedAndEmpty()
    {
        SchemaValidationResult.Valid.IsValid.ShouldBeTrue();
        SchemaValidationResult.Valid.Errors.ShouldBeEmpty();
        JsonSchema.Parse(QuiltJsonBool.True).Validate(QuiltJsonNull.Instance).ShouldBeSameAs(SchemaValidationResult.Valid);
    }
}
