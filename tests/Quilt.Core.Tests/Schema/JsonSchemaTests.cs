using System.Numerics;
using Quilt.Core.Errors;
using Quilt.Core.Json;
using Quilt.Core.Schema;

namespace Quilt.Core.Tests.Schema;

public sealed class JsonSchemaTests
{
    private static JsonSchema Schema(string json) => JsonSchema.Parse(TestJson.Parse(json));

    private static bool Valid(string schema, string instance) => Schema(schema).Validate(TestJson.Parse(instance)).IsValid;

    [Theory]
    [InlineData("""{"$ref": "#/definitions/a"}""", "")]
    [InlineData("""{"properties": {"a": {"$ref": "x.json"}}}""", " at /properties/a")]
    [InlineData("""{"allOf": [{"type": "object"}, {"items": [{"$ref": "#"}]}]}""", " at /allOf/1/items/0")]
    [InlineData("""{"definitions": {"a": {"$ref": "#"}}}""", " at /definitions/a")]
    [InlineData("""{"enum": [{"$ref": "just data"}]}""", " at /enum/0")]
    [InlineData("""{"properties": {"$ref": {"type": "string"}}}""", " at /properties")]
    public void Parse_RefAnywhere_ThrowsInvalidInputNamingThePlace(string schema, string where)
    {
        var error = Should.Throw<QuiltException>(() => Schema(schema));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldBe($"The schema uses $ref{where}: $ref is not supported in workflow schemas.");
        error.Hint.ShouldNotBeNullOrEmpty();
    }

    [Theory]
    [InlineData("http://json-schema.org/draft-04/schema#")]
    [InlineData("https://json-schema.org/draft/2020-12/schema")]
    [InlineData("http://json-schema.org/draft-07/schema")]
    [InlineData("")]
    public void Parse_OtherMetaSchema_ThrowsInvalidInput(string metaSchema)
    {
        var schema = new QuiltJsonObject([new("$schema", new QuiltJsonString(metaSchema))]);

        var error = Should.Throw<QuiltException>(() => JsonSchema.Parse(schema));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldBe($"Unsupported meta-schema: {metaSchema}. Only draft-07 schemas are supported.");
    }

    [Fact]
    public void Parse_MetaSchemaNotString_ThrowsInvalidInput()
    {
        Should.Throw<QuiltException>(() => Schema("""{"$schema": 7}""")).Message.ShouldBe("$schema must be a string.");
    }

    [Fact]
    public void Parse_Draft07MetaSchema_IsAccepted()
    {
        var schema = Schema("""{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"}""");

        schema.Validate(QuiltJsonObject.Empty).IsValid.ShouldBeTrue();
        schema.Validate(new QuiltJsonInteger(1)).IsValid.ShouldBeFalse();
        schema.Document.ShouldBeOfType<QuiltJsonObject>();
    }

    [Fact]
    public void Parse_RefCheckedBeforeMetaSchema_ReportsRef()
    {
        Should.Throw<QuiltException>(() => Schema("""{"$schema": "draft-04", "$ref": "#"}""")).Message.ShouldContain("$ref");
    }

    [Theory]
    [InlineData("5", "Invalid schema at '/': a schema must be an object or a boolean, not 5.")]
    [InlineData("""{"type": "int"}""", "Invalid schema at '/type': 'int' is not a JSON Schema type")]
    [InlineData("""{"type": []}""", "Invalid schema at '/type': 'type' must be a type name or a non-empty array")]
    [InlineData("""{"type": ["string", "string"]}""", "'type' lists a type twice")]
    [InlineData("""{"enum": 3}""", "Invalid schema at '/enum': 'enum' must be an array.")]
    [InlineData("""{"multipleOf": 0}""", "'multipleOf' must be a number greater than 0, not 0.")]
    [InlineData("""{"multipleOf": -1.5}""", "'multipleOf' must be a number greater than 0, not -1.5.")]
    [InlineData("""{"multipleOf": "2"}""", "'multipleOf' must be a number greater than 0")]
    [InlineData("""{"maximum": true}""", "Invalid schema at '/maximum': 'maximum' must be a number, not true.")]
    [InlineData("""{"properties": {"a": {"minLength": -1}}}""", "Invalid schema at '/properties/a/minLength': 'minLength' must be a non-negative integer, not -1.")]
    [InlineData("""{"maxItems": 1.5}""", "'maxItems' must be a non-negative integer, not 1.5.")]
    [InlineData("""{"pattern": 1}""", "'pattern' must be a string, not 1.")]
    [InlineData("""{"pattern": "(unclosed"}""", "Invalid schema at '/pattern': '(unclosed' is not a valid regular expression")]
    [InlineData("""{"patternProperties": {"[": {}}}""", "Invalid schema at '/patternProperties/[': '[' is not a valid regular expression")]
    [InlineData("""{"items": []}""", "'items' must be a schema or a non-empty array of schemas")]
    [InlineData("""{"items": 1}""", "Invalid schema at '/items': a schema must be an object or a boolean, not 1.")]
    [InlineData("""{"additionalItems": "x"}""", "Invalid schema at '/additionalItems'")]
    [InlineData("""{"uniqueItems": 1}""", "'uniqueItems' must be a boolean, not 1.")]
    [InlineData("""{"required": ["a", "a"]}""", "'required' lists a name twice")]
    [InlineData("""{"required": "a"}""", "'required' must be an array of strings, not 'a'.")]
    [InlineData("""{"properties": []}""", "'properties' must be an object")]
    [InlineData("""{"patternProperties": 1}""", "'patternProperties' must be an object")]
    [InlineData("""{"additionalProperties": null}""", "Invalid schema at '/additionalProperties'")]
    [InlineData("""{"dependencies": {"a": [1]}}""", "Invalid schema at '/dependencies/a': 'dependencies' must be an array of strings")]
    [InlineData("""{"dependencies": []}""", "'dependencies' must be an object")]
    [InlineData("""{"allOf": []}""", "'allOf' must be a non-empty array of schemas")]
    [InlineData("""{"anyOf": {}}""", "'anyOf' must be a non-empty array of schemas")]
    [InlineData("""{"oneOf": [1]}""", "Invalid schema at '/oneOf/0'")]
    [InlineData("""{"not": "x"}""", "Invalid schema at '/not'")]
    [InlineData("""{"then": 3}""", "Invalid schema at '/then'")]
    [InlineData("""{"if": true, "else": 3}""", "Invalid schema at '/else'")]
    [InlineData("""{"definitions": {"a/b": 3}}""", "Invalid schema at '/definitions/a~1b'")]
    [InlineData("""{"definitions": 3}""", "'definitions' must be an object")]
    [InlineData("""{"title": 3}""", "'title' must be a string, not 3.")]
    [InlineData("""{"format": false}""", "'format' must be a string, not false.")]
    [InlineData("""{"readOnly": "yes"}""", "'readOnly' must be a boolean, not 'yes'.")]
    [InlineData("""{"examples": {}}""", "'examples' must be an array, not {}.")]
    [InlineData("""{"contains": 1}""", "Invalid schema at '/contains'")]
    [InlineData("""{"propertyNames": []}""", "Invalid schema at '/propertyNames'")]
    public void Parse_MalformedSchema_ThrowsInvalidInput(string schema, string expected)
    {
        var error = Should.Throw<QuiltException>(() => Schema(schema));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldContain(expected);
    }

    [Fact]
    public void Parse_DeeplyNestedSchema_ThrowsInsteadOfOverflowingTheStack()
    {
        QuiltJsonValue schema = QuiltJsonObject.Empty;
        for (var i = 0; i < 5000; i++)
        {
            schema = new QuiltJsonObject([new("not", schema)]);
        }

        Should.Throw<QuiltException>(() => JsonSchema.Parse(schema)).Message.ShouldContain("nests deeper");
    }

    [Theory]
    [InlineData("""{"default": {"$id": 1}, "x-unknown": [1], "$comment": "c", "description": "d", "examples": [1], "readOnly": true, "contentMediaType": "text/plain"}""")]
    [InlineData("""{"format": "email"}""")]
    [InlineData("""{"format": "no-such-format"}""")]
    public void Validate_AnnotationsOnly_AcceptEverything(string schema)
    {
        Valid(schema, "\"not an email\"").ShouldBeTrue();
        Valid(schema, "12").ShouldBeTrue();
    }

    [Theory]
    [InlineData("0.3", "0.1", true)]
    [InlineData("0.7", "0.1", true)]
    [InlineData("1.1", "0.1", true)]
    [InlineData("19.99", "0.01", true)]
    [InlineData("19.995", "0.01", false)]
    [InlineData("1e-7", "1e-8", true)]
    [InlineData("123456789012345678901234567890", "10", true)]
    [InlineData("123456789012345678901234567891", "10", false)]
    [InlineData("10", "2.5", true)]
    [InlineData("1e308", "1e307", true)]
    [InlineData("1e308", "3", false)]
    [InlineData("-4.5", "1.5", true)]
    [InlineData("0", "0.123", true)]
    public void Validate_MultipleOf_IsExactOnWrittenDecimals(string value, string divisor, bool expected)
    {
        Valid($$"""{"multipleOf": {{divisor}}}""", value).ShouldBe(expected);
    }

    [Fact]
    public void Validate_MultipleOf_NonFiniteNeverMultiple()
    {
        var schema = Schema("""{"multipleOf": 2}""");

        schema.IsValid(new QuiltJsonFloat(double.PositiveInfinity)).ShouldBeFalse();
        schema.IsValid(new QuiltJsonFloat(double.NaN)).ShouldBeFalse();
    }

    [Fact]
    public void Validate_Bounds_CompareBigIntegersAndInfinitiesExactly()
    {
        var max = Schema("""{"maximum": 9007199254740992}""");
        max.IsValid(new QuiltJsonInteger(BigInteger.Parse("9007199254740993", System.Globalization.CultureInfo.InvariantCulture))).ShouldBeFalse();
        max.IsValid(new QuiltJsonFloat(9007199254740992.0)).ShouldBeTrue();
        max.IsValid(new QuiltJsonFloat(double.PositiveInfinity)).ShouldBeFalse();
        max.IsValid(new QuiltJsonFloat(double.NegativeInfinity)).ShouldBeTrue();
        max.IsValid(new QuiltJsonFloat(double.NaN)).ShouldBeTrue();

        var min = Schema("""{"exclusiveMinimum": 0.1}""");
        min.IsValid(new QuiltJsonFloat(0.1)).ShouldBeFalse();
        min.IsValid(new QuiltJsonFloat(0.10000000000000002)).ShouldBeTrue();
        min.IsValid(new QuiltJsonInteger(BigInteger.Pow(10, 400))).ShouldBeTrue();

        var infiniteLimit = JsonSchema.Parse(new QuiltJsonObject([new("minimum", new QuiltJsonFloat(double.NegativeInfinity))]));
        infiniteLimit.IsValid(new QuiltJsonInteger(BigInteger.Pow(10, 400) * -1)).ShouldBeTrue();
        infiniteLimit.IsValid(new QuiltJsonFloat(double.NegativeInfinity)).ShouldBeTrue();
    }

    [Fact]
    public void Validate_IntegerType_AcceptsIntegralFloatsOnly()
    {
        var schema = Schema("""{"type": "integer"}""");

        schema.IsValid(new QuiltJsonFloat(1.0)).ShouldBeTrue();
        schema.IsValid(new QuiltJsonFloat(-0.0)).ShouldBeTrue();
        schema.IsValid(new QuiltJsonFloat(1e300)).ShouldBeTrue();
        schema.IsValid(new QuiltJsonFloat(1.5)).ShouldBeFalse();
        schema.IsValid(new QuiltJsonFloat(double.PositiveInfinity)).ShouldBeFalse();
        schema.IsValid(new QuiltJsonFloat(double.NaN)).ShouldBeFalse();
        schema.IsValid(QuiltJsonBool.True).ShouldBeFalse();
        schema.IsValid(new QuiltJsonInteger(BigInteger.Pow(2, 200))).ShouldBeTrue();
    }

    [Fact]
    public void Validate_NumberType_AcceptsNaNButNotBooleans()
    {
        var schema = Schema("""{"type": "number"}""");

        schema.IsValid(new QuiltJsonFloat(double.NaN)).ShouldBeTrue();
        schema.IsValid(QuiltJsonBool.False).ShouldBeFalse();
        schema.IsValid(new QuiltJsonString("1")).ShouldBeFalse();
    }

    [Theory]
    [InlineData("\U0001F4A9\U0001F4A9", 2, true)]
    [InlineData("\U0001F4A9\U0001F4A9x", 2, false)]
    [InlineData("e\u0301", 2, true)]
    public void Validate_MaxLength_CountsCodePoints(string text, int maxLength, bool expected)
    {
        Schema($$"""{"maxLength": {{maxLength}}}""").IsValid(new QuiltJsonString(text)).ShouldBe(expected);
    }

    [Fact]
    public void Validate_MaxLength_LoneSurrogatesCountOneEach()
    {
        var schema = Schema("""{"maxLength": 2}""");

        schema.IsValid(new QuiltJsonString("\ud800\ud800")).ShouldBeTrue();
        schema.IsValid(new QuiltJsonString("\udc00\ud800")).ShouldBeTrue();
        schema.IsValid(new QuiltJsonString("\ud800\ud800a")).ShouldBeFalse();
        schema.IsValid(new QuiltJsonString("a\ud83d\udca9\ud800")).ShouldBeFalse();
    }

    [Fact]
    public void Validate_MinLength_HugeLimitIsNeverMet()
    {
        Valid("""{"minLength": 100000000000000000000}""", "\"abc\"").ShouldBeFalse();
        Valid("""{"maxLength": 100000000000000000000}""", "\"abc\"").ShouldBeTrue();
    }

    [Fact]
    public void Validate_ConstAndEnum_UseJsonEquality()
    {
        Valid("""{"const": {"a": 1, "b": [1.0, {"c": null}]}}""", """{"b": [1, {"c": null}], "a": 1.0}""").ShouldBeTrue();
        Valid("""{"const": {"a": 1}}""", """{"a": 1, "b": 2}""").ShouldBeFalse();
        Valid("""{"const": {"a": 1}}""", """{"b": 1}""").ShouldBeFalse();
        Valid("""{"const": [1, 2]}""", "[2, 1]").ShouldBeFalse();
        Valid("""{"const": [1]}""", "[1, 1]").ShouldBeFalse();
        Valid("""{"const": 1}""", "true").ShouldBeFalse();
        Valid("""{"const": 0.1}""", "0.1").ShouldBeTrue();
        Valid("""{"enum": ["a", 1e2]}""", "100").ShouldBeTrue();
        Valid("""{"enum": ["a", 1e2]}""", "\"A\"").ShouldBeFalse();

        var nan = JsonSchema.Parse(new QuiltJsonObject([new("const", new QuiltJsonFloat(double.NaN))]));
        nan.IsValid(new QuiltJsonFloat(double.NaN)).ShouldBeFalse();
        var inf = JsonSchema.Parse(new QuiltJsonObject([new("enum", new QuiltJsonArray([new QuiltJsonFloat(double.PositiveInfinity)]))]));
        inf.IsValid(new QuiltJsonFloat(double.PositiveInfinity)).ShouldBeTrue();
        inf.IsValid(new QuiltJsonFloat(double.NegativeInfinity)).ShouldBeFalse();
        inf.IsValid(new QuiltJsonInteger(1)).ShouldBeFalse();
    }

    [Fact]
    public void Validate_UniqueItems_TreatsReorderedObjectsAndEqualNumbersAsDuplicates()
    {
        Valid("""{"uniqueItems": true}""", """[{"a": 1, "b": 2}, {"b": 2, "a": 1.0}]""").ShouldBeFalse();
        Valid("""{"uniqueItems": true}""", "[1, 1.0]").ShouldBeFalse();
        Valid("""{"uniqueItems": true}""", "[100, 1e2]").ShouldBeFalse();
        Valid("""{"uniqueItems": true}""", """[[1, "a"], [1, "b"], {"a": [1]}, {"a": [2]}, 0, false, null, ""]""").ShouldBeTrue();

        var items = Enumerable.Range(0, 5000).Select(i => (QuiltJsonValue)new QuiltJsonObject([new("logical_key", new QuiltJsonString($"k{i}"))])).ToList();
        var schema = Schema("""{"uniqueItems": true}""");
        schema.IsValid(new QuiltJsonArray(items)).ShouldBeTrue();
        schema.IsValid(new QuiltJsonArray(items.Append(items[4321]))).ShouldBeFalse();
    }

    [Theory]
    [InlineData("^a\\Z", "a\n", false)]
    [InlineData("^a$", "a\n", true)]
    [InlineData("^(?P<x>ab)(?P=x)$", "abab", true)]
    [InlineData("^(?P<x>ab)(?P=x)$", "abba", false)]
    [InlineData("^a{,2}$", "aa", true)]
    [InlineData("^a{,2}$", "aaa", false)]
    [InlineData("^\\d+$", "١٢٣", true)]
    [InlineData("^\\w+$", "äbç", true)]
    [InlineData("^[]a]+$", "]a]", true)]
    [InlineData("^[^]a]+$", "bc", true)]
    [InlineData("^[\\]]$", "]", true)]
    [InlineData("(?i)^abc$", "ABC", true)]
    public void Validate_Pattern_UsesPythonReSemantics(string pattern, string text, bool expected)
    {
        var schema = JsonSchema.Parse(new QuiltJsonObject([new("pattern", new QuiltJsonString(pattern))]));

        schema.IsValid(new QuiltJsonString(text)).ShouldBe(expected);
    }

    [Fact]
    public void Validate_TupleItemsWithSchemaForAdditionalItems_ChecksTheRest()
    {
        var schema = Schema("""{"items": [{"type": "string"}], "additionalItems": {"type": "integer"}}""");

        schema.IsValid(TestJson.Parse("""["a", 1, 2]""")).ShouldBeTrue();
        var result = schema.Validate(TestJson.Parse("""[1, 2, "x", 3.5]"""));
        result.Errors.Select(e => (e.InstancePath, e.SchemaPath)).ShouldBe([
            ("/0", "/items/0/type"),
            ("/2", "/additionalItems/type"),
            ("/3", "/additionalItems/type"),
        ]);
        schema.IsValid(TestJson.Parse("""[1, 2, "x", 3.5]""")).ShouldBeFalse();
    }

    [Fact]
    public void Validate_DefinitionsWithoutRef_AreCheckedButUnused()
    {
        Valid("""{"definitions": {"a": {"type": "string"}, "b": false}}""", "1").ShouldBeTrue();
    }

    [Fact]
    public void Validate_UniqueItemsOnNonArray_Passes()
    {
        Valid("""{"uniqueItems": true}""", "{\"a\": 1}").ShouldBeTrue();
        Valid("""{"uniqueItems": false}""", "[1, 1]").ShouldBeTrue();
    }

    [Fact]
    public void Validate_AdditionalItemsWithoutItems_HasNoEffect()
    {
        Valid("""{"additionalItems": false}""", "[1, 2]").ShouldBeTrue();
    }

    [Fact]
    public void Validate_ThenWithoutIf_HasNoEffect()
    {
        Valid("""{"then": false, "else": false}""", "1").ShouldBeTrue();
        Valid("""{"if": {"type": "string"}, "then": {"minLength": 2}}""", "\"a\"").ShouldBeFalse();
        Valid("""{"if": {"type": "string"}, "then": {"minLength": 2}}""", "1").ShouldBeTrue();
    }

    [Fact]
    public void Validate_PathologicalPattern_ThrowsInvalidInputInsteadOfHanging()
    {
        var schema = JsonSchema.Parse(new QuiltJsonObject([new("pattern", new QuiltJsonString("^(a+)+$"))]));

        var error = Should.Throw<QuiltException>(() => schema.Validate(new QuiltJsonString(new string('a', 40) + "!")));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldContain("took too long");
    }

    [Fact]
    public void Validate_NullArguments_Throw()
    {
        Should.Throw<ArgumentNullException>(() => JsonSchema.Parse(null!));
        Should.Throw<ArgumentNullException>(() => Schema("true").Validate(null!));
        Should.Throw<ArgumentNullException>(() => Schema("true").IsValid(null!));
    }
}
