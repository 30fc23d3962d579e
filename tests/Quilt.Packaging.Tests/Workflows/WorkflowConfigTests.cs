using Quilt.Core.Errors;
using Quilt.Core.Json;
using Quilt.Packaging.Workflows;

namespace Quilt.Packaging.Tests.Workflows;

public sealed class WorkflowConfigTests
{
    private const string Url = "s3://bucket/.quilt/workflows/config.yml?versionId=v1";

    private static WorkflowConfig Parse(string yaml) => WorkflowConfig.Parse(YamlJson.FromYaml(yaml), Url);

    private static string ErrorOf(string yaml)
    {
        var error = Should.Throw<QuiltException>(() => Parse(yaml));
        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Hint.ShouldNotBeNullOrEmpty();
        return error.Message;
    }

    [Fact]
    public void Parse_MinimalConfig_UsesDefaults()
    {
        var config = Parse("""
            version: "1"
            workflows:
              alpha:
                name: Alpha
            """);

        config.ConfigUrl.ShouldBe(Url);
        config.Version.ShouldBe("1");
        config.IsWorkflowRequired.ShouldBeTrue();
        config.DefaultWorkflow.ShouldBeNull();
        config.Schemas.ShouldBeEmpty();
        config.Workflows["alpha"].ShouldBe(new WorkflowDefinition("alpha", "Alpha", null, null, null, null, false));
        config.Document.Names.ShouldBe(["version", "workflows"]);
    }

    [Fact]
    public void Parse_FullConfig_ExposesEverything()
    {
        var config = Parse("""
            version:
              base: "1.1"
              catalog: "1"
            is_workflow_required: false
            default_workflow: beta
            catalog: {anything: [1, 2]}
            workflows:
              beta:
                name: Beta
                description: The second one
                handle_pattern: ^team/
                metadata_schema: meta
                entries_schema: entries
                is_message_required: true
                catalog: {package_handle: {files: "<%= username %>/"}}
              alpha:
                name: Alpha
            schemas:
              meta:
                url: s3://bucket/.quilt/workflows/meta.json
              entries:
                url: s3://bucket/.quilt/workflows/entries.json
                extra: allowed
            successors:
              s3://other-bucket:
                title: Other
                copy_data: false
            """);

        config.Version.ShouldBe("1.1");
        config.IsWorkflowRequired.ShouldBeFalse();
        config.DefaultWorkflow.ShouldBe("beta");
        config.WorkflowList.Select(w => w.Id).ShouldBe(["beta", "alpha"]);
        config.Workflows["beta"].ShouldBe(new WorkflowDefinition("beta", "Beta", "The second one", "^team/", "meta", "entries", true));
        config.Schemas.ShouldBe(new Dictionary<string, string>
        {
            ["meta"] = "s3://bucket/.quilt/workflows/meta.json",
            ["entries"] = "s3://bucket/.quilt/workflows/entries.json",
        });
    }

    [Theory]
    [InlineData("\"1\"")]
    [InlineData("\"1.0\"")]
    [InlineData("\"1.1\"")]
    [InlineData("\"1.1.0\"")]
    [InlineData("\"1.0.9\"")]
    [InlineData("{base: \"1.1\"}")]
    public void Parse_SupportedVersion_IsAccepted(string version)
    {
        Parse($"version: {version}\nworkflows: {{a: {{name: A}}}}\n").Workflows.Count.ShouldBe(1);
    }

    [Theory]
    [InlineData("\"1.2\"", "version '1.2.0' is not supported (up to 1.1.0 is)")]
    [InlineData("\"2\"", "version '2.0.0' is not supported")]
    [InlineData("\"1.1.1\"", "version '1.1.1' is not supported")]
    [InlineData("{base: \"3.0\"}", "version '3.0.0' is not supported")]
    [InlineData("\"99999999999\"", "is not supported")]
    public void Parse_NewerVersion_IsRejected(string version, string expected)
    {
        ErrorOf($"version: {version}\nworkflows: {{a: {{name: A}}}}\n").ShouldContain(expected);
    }

    [Theory]
    [InlineData("1", "/version: 1 is not valid under any of the given schemas")]
    [InlineData("1.1", "/version: 1.1 is not valid under any of the given schemas")]
    [InlineData("\"01\"", "/version: '01' is not valid under any of the given schemas")]
    [InlineData("\"1.x\"", "/version: '1.x' is not valid under any of the given schemas")]
    [InlineData("\"1.0.0.0\"", "/version: '1.0.0.0' is not valid")]
    [InlineData("{catalog: \"1\"}", "/version: {'catalog': '1'} is not valid")]
    [InlineData("{base: \"1\", other: 1}", "/version: {'base': '1', 'other': 1} is not valid")]
    public void Parse_MalformedVersion_IsRejectedWithVersionHint(string version, string expected)
    {
        var error = Should.Throw<QuiltException>(() => Parse($"version: {version}\nworkflows: {{a: {{name: A}}}}\n"));

        error.Message.ShouldContain(expected);
        error.Hint!.ShouldContain("quoted in YAML");
    }

    [Theory]
    [InlineData("", "failed validation: null is not of type 'object'.")]
    [InlineData("- a\n", "failed validation: ['a'] is not of type 'object'.")]
    [InlineData("workflows: {a: {name: A}}\n", "failed validation: 'version' is a required property.")]
    [InlineData("version: \"1\"\n", "failed validation: 'workflows' is a required property.")]
    [InlineData("version: \"1\"\nworkflows: {}\n", "/workflows: {} does not have enough properties (minimum 1).")]
    [InlineData("version: \"1\"\nworkflows: []\n", "/workflows: [] is not of type 'object'.")]
    [InlineData("version: \"1\"\nworkflows: {a: {}}\n", "/workflows/a: 'name' is a required property.")]
    [InlineData("version: \"1\"\nworkflows: {a: {name: \"\"}}\n", "/workflows/a/name: '' is too short (minimum length 1).")]
    [InlineData("version: \"1\"\nworkflows: {a: {name: 5}}\n", "/workflows/a/name: 5 is not of type 'string'.")]
    [InlineData("version: \"1\"\nworkflows: {a: {name: A, color: red}}\n", "/workflows/a: Additional properties are not allowed ('color' was unexpected).")]
    [InlineData("version: \"1\"\nworkflows: {a: {name: A, is_message_required: maybe}}\n", "/workflows/a/is_message_required: 'maybe' is not of type 'boolean'.")]
    [InlineData("version: \"1\"\nworkflows: {a: {name: A, handle_pattern: 1}}\n", "/workflows/a/handle_pattern: 1 is not of type 'string'.")]
    [InlineData("version: \"1\"\nworkflows: {1a: {name: A}}\n", "/workflows: '1a' does not match '^[A-Za-z_-][A-Za-z0-9_-]*$'.")]
    [InlineData("version: \"1\"\nworkflows: {a.b: {name: A}}\n", "'a.b' does not match")]
    [InlineData("version: \"1\"\nworkflows: {a: {name: A}}\nis_workflow_required: \"no\"\n", "/is_workflow_required: 'no' is not of type 'boolean'.")]
    [InlineData("version: \"1\"\nworkflows: {a: {name: A}}\ndefault_workflow: [a]\n", "/default_workflow: ['a'] is not of type 'string'.")]
    [InlineData("version: \"1\"\nworkflows: {a: {name: A}}\nschemas: {}\n", "/schemas: {} does not have enough properties (minimum 1).")]
    [InlineData("version: \"1\"\nworkflows: {a: {name: A}}\nschemas: {m: {}}\n", "/schemas/m: 'url' is a required property.")]
    [InlineData("version: \"1\"\nworkflows: {a: {name: A}}\nschemas: {m: {url: 1}}\n", "/schemas/m/url: 1 is not of type 'string'.")]
    [InlineData("version: \"1\"\nworkflows: {a: {name: A}}\nsuccessors: {s3://b: {}}\n", "/successors/s3:~1~1b: 'title' is a required property.")]
    [InlineData("version: \"1\"\nworkflows: {a: {name: A}}\nsuccessors: {s3://b: {title: T, copy_data: 1}}\n", "/successors/s3:~1~1b/copy_data: 1 is not of type 'boolean'.")]
    [InlineData("version: \"1\"\nworkflows: {a: {name: A}}\nextra: 1\n", "failed validation: Additional properties are not allowed ('extra' was unexpected).")]
    public void Parse_InvalidConfig_SaysWhatIsWrong(string yaml, string expected)
    {
        var message = ErrorOf(yaml);

        message.ShouldStartWith($"Workflows config {Url} failed validation: ");
        message.ShouldContain(expected);
    }

    [Fact]
    public void Parse_LongWorkflowId_IsRejected()
    {
        var id = new string('w', 65);

        ErrorOf($"version: \"1\"\nworkflows: {{{id}: {{name: A}}}}\n").ShouldContain("is too long (maximum length 64)");
        Parse($"version: \"1\"\nworkflows: {{{id[1..]}: {{name: A}}}}\n").Workflows.ContainsKey(id[1..]).ShouldBeTrue();
    }

    [Fact]
    public void Parse_ManyErrors_AreListedUpToTen()
    {
        var workflows = string.Join(", ", Enumerable.Range(0, 13).Select(i => $"w{i}: {{}}"));

        var message = ErrorOf($"version: \"1\"\nworkflows: {{{workflows}}}\n");

        message.ShouldContain("/workflows/w9: 'name' is a required property; and 3 more errors.");
        message.ShouldNotContain("/workflows/w10");
    }

    [Fact]
    public void Parse_ElevenErrors_SaysOneMoreError()
    {
        var workflows = string.Join(", ", Enumerable.Range(0, 11).Select(i => $"w{i}: {{}}"));

        ErrorOf($"version: \"1\"\nworkflows: {{{workflows}}}\n").ShouldEndWith("; and 1 more error.");
    }

    [Fact]
    public void Parse_BadArguments_Throw()
    {
        Should.Throw<ArgumentNullException>(() => WorkflowConfig.Parse(null!, Url));
        Should.Throw<ArgumentException>(() => WorkflowConfig.Parse(QuiltJsonObject.Empty, ""));
    }
}
