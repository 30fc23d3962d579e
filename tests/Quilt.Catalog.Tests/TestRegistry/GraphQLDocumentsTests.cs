using System.Text.Json.Nodes;
using Quilt.Catalog.Internal;

namespace Quilt.Catalog.Tests.TestRegistry;

/// <summary>Every document the client sends validates against shared/quilt/schema.graphql, and the validator does reject bad ones.</summary>
public sealed class GraphQLDocumentsTests(GraphQLValidator validator)
{
    private static readonly JsonObject PushParams = new() { ["bucket"] = "reg", ["name"] = "a/b", ["message"] = null, ["userMeta"] = null, ["workflow"] = null };

    public static TheoryData<string> DocumentNames() => [.. GraphQLDocuments.All.Keys];

    private static JsonObject SampleVariables(string name) => name switch
    {
        "PackageConstruct" => new JsonObject
        {
            ["params"] = PushParams.DeepClone(),
            ["src"] = new JsonObject { ["entries"] = new JsonArray(new JsonObject { ["logicalKey"] = "a", ["physicalKey"] = "s3://b/a?versionId=1", ["size"] = 3, ["hash"] = new JsonObject { ["type"] = "sha2-256-chunked", ["value"] = "x" }, ["meta"] = new JsonObject { ["k"] = 1 } }) },
        },
        "PackagePromote" => new JsonObject { ["params"] = PushParams.DeepClone(), ["src"] = new JsonObject { ["bucket"] = "reg", ["name"] = "a/b", ["hash"] = "h" }, ["destPrefix"] = null },
        "PackageRevisionDelete" => new JsonObject { ["bucket"] = "reg", ["name"] = "a/b", ["hash"] = "h" },
        "Package" => new JsonObject { ["bucket"] = "reg", ["name"] = "a/b" },
        "PackageRevisionHashes" => new JsonObject { ["bucket"] = "reg", ["name"] = "a/b", ["page"] = 1, ["perPage"] = 100 },
        "Packages" => new JsonObject { ["bucket"] = "reg", ["filter"] = null, ["page"] = 1, ["perPage"] = 100 },
        "PackageRevision" => new JsonObject { ["bucket"] = "reg", ["name"] = "a/b", ["hashOrTag"] = "latest", ["max"] = 10 },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(DocumentNames))]
    public async Task Document_WithSampleVariables_ValidatesAgainstSchema(string name)
    {
        var answer = await validator.ValidateAsync(GraphQLDocuments.All[name], SampleVariables(name), name);

        answer.Errors.ShouldBeEmpty();
        answer.Fields.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Validate_UnknownField_IsRejected()
    {
        var answer = await validator.ValidateAsync("query Q { package(bucket: \"b\", name: \"a/b\") { entries } }", null, "Q");

        answer.Errors.ShouldHaveSingleItem().ShouldContain("entries");
    }

    [Fact]
    public async Task Validate_MissingRequiredVariableField_IsRejected()
    {
        var variables = SampleVariables("PackageConstruct");
        variables["params"]!.AsObject().Remove("bucket");

        var answer = await validator.ValidateAsync(GraphQLDocuments.PackageConstruct, variables, "PackageConstruct");

        answer.Errors.ShouldHaveSingleItem().ShouldContain("bucket");
    }

    [Fact]
    public async Task Validate_WrongVariableType_IsRejected()
    {
        var variables = SampleVariables("PackageRevision");
        variables["max"] = "ten";

        var answer = await validator.ValidateAsync(GraphQLDocuments.PackageRevision, variables, "PackageRevision");

        answer.Errors.ShouldHaveSingleItem().ShouldContain("max");
    }

    [Fact]
    public async Task Validate_UnparsableDocument_IsRejected()
    {
        var answer = await validator.ValidateAsync("mutation {", null, null);

        answer.Errors.ShouldNotBeEmpty();
    }

    [Fact]
    public void Documents_UseOnlyTheirOwnOperationName()
    {
        foreach (var (name, document) in GraphQLDocuments.All)
        {
            document.ShouldContain(" " + name + "(");
            document.Count(c => c == '{').ShouldBe(document.Count(c => c == '}'));
        }
    }
}
