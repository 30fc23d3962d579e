using System.Text.Json;
using Quilt.Core.Errors;
using Quilt.Core.Schema;
using Quilt.Testing;

namespace Quilt.Core.Tests.Schema;

/// <summary>Runs every case of the official JSON Schema Test Suite (draft-07 files in shared/).</summary>
public sealed class JsonSchemaSuiteTests
{
    /// <summary>
    /// Groups built around <c>$ref</c>, which workflow schemas reject (suite README). Their cases are not
    /// skipped: they assert that the schema is refused.
    /// </summary>
    private static readonly HashSet<string> RefGroups = new(StringComparer.Ordinal) { "items.json: items and subitems" };

    private static string SuiteFolder => Path.Combine(RepoPaths.Shared, "json-schema-test-suite", "draft7");

    public static IEnumerable<TheoryDataRow<string, string, string, string, bool>> Cases()
    {
        foreach (var file in Directory.GetFiles(SuiteFolder, "*.json").Order(StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var group in document.RootElement.EnumerateArray())
            {
                var groupName = $"{Path.GetFileName(file)}: {group.GetProperty("description").GetString()}";
                var schema = group.GetProperty("schema").GetRawText();
                foreach (var test in group.GetProperty("tests").EnumerateArray())
                {
                    var description = test.GetProperty("description").GetString()!;
                    yield return new TheoryDataRow<string, string, string, string, bool>(
                        groupName, description, schema, test.GetProperty("data").GetRawText(), test.GetProperty("valid").GetBoolean())
                    {
                        TestDisplayName = $"{groupName}: {description}",
                    };
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_SuiteCase_MatchesExpectedValidity(string group, string test, string schemaText, string dataText, bool valid)
    {
        test.ShouldNotBeEmpty();
        var schemaValue = TestJson.Parse(schemaText);
        if (RefGroups.Contains(group))
        {
            Should.Throw<QuiltException>(() => JsonSchema.Parse(schemaValue)).Message.ShouldContain("$ref is not supported");
            return;
        }

        var schema = JsonSchema.Parse(schemaValue);
        var data = TestJson.Parse(dataText);
        var result = schema.Validate(data);

        result.IsValid.ShouldBe(valid, string.Join("; ", result.Errors));
        (result.Errors.Count == 0).ShouldBe(valid);

        schema.IsValid(data).ShouldBe(valid);
    }

    [Fact]
    public void Cases_SuiteFolder_CoversEveryFileAndOnlyOneRefGroup()
    {
        var cases = Cases().ToList();
        var files = Directory.GetFiles(SuiteFolder, "*.json");

        files.Length.ShouldBe(33);
        cases.Select(c => c.Data.Item1.Split(':')[0]).Distinct().Count().ShouldBe(files.Length);
        cases.Count(c => RefGroups.Contains(c.Data.Item1)).ShouldBe(6);
        cases.Count(c => !RefGroups.Contains(c.Data.Item1) && c.Data.Item3.Contains("$ref", StringComparison.Ordinal)).ShouldBe(0);
    }
}
