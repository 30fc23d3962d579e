using System.Numerics;
using Quilt.Core.Errors;
using Quilt.Core.Json;
using Quilt.Packaging.Workflows;

namespace Quilt.Packaging.Tests.Workflows;

public sealed class YamlJsonTests
{
    private static QuiltJsonValue Value(string scalar) => ((QuiltJsonObject)YamlJson.FromYaml("v: " + scalar + "\n"))["v"];

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("TRUE", true)]
    [InlineData("yes", true)]
    [InlineData("Yes", true)]
    [InlineData("YES", true)]
    [InlineData("on", true)]
    [InlineData("On", true)]
    [InlineData("ON", true)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("FALSE", false)]
    [InlineData("no", false)]
    [InlineData("No", false)]
    [InlineData("NO", false)]
    [InlineData("off", false)]
    [InlineData("Off", false)]
    [InlineData("OFF", false)]
    public void FromYaml_PlainBooleanWords_AreBooleans(string text, bool expected)
    {
        Value(text).ShouldBe(QuiltJsonBool.From(expected));
    }

    [Theory]
    [InlineData("tRue")]
    [InlineData("yEs")]
    [InlineData("y")]
    [InlineData("n")]
    [InlineData("oN")]
    [InlineData("'yes'")]
    [InlineData("\"true\"")]
    public void FromYaml_OtherSpellingsOrQuoted_AreStrings(string text)
    {
        Value(text).ShouldBeOfType<QuiltJsonString>();
    }

    [Theory]
    [InlineData("~")]
    [InlineData("null")]
    [InlineData("Null")]
    [InlineData("NULL")]
    [InlineData("")]
    public void FromYaml_NullSpellings_AreNull(string text)
    {
        Value(text).ShouldBe(QuiltJsonNull.Instance);
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("-0", "0")]
    [InlineData("42", "42")]
    [InlineData("+42", "42")]
    [InlineData("-17", "-17")]
    [InlineData("1_000_000", "1000000")]
    [InlineData("0x1F", "31")]
    [InlineData("-0x_ff", "-255")]
    [InlineData("017", "15")]
    [InlineData("0b1010", "10")]
    [InlineData("-0b11", "-3")]
    [InlineData("1:30", "90")]
    [InlineData("-1:00:00", "-3600")]
    [InlineData("123456789012345678901234567890", "123456789012345678901234567890")]
    public void FromYaml_Integers_FollowPyYaml(string text, string expected)
    {
        Value(text).ShouldBe(new QuiltJsonInteger(BigInteger.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData("-1.5", -1.5)]
    [InlineData("1.", 1.0)]
    [InlineData(".5", 0.5)]
    [InlineData("1_000.5", 1000.5)]
    [InlineData("1.0e+3", 1000.0)]
    [InlineData("6.8523015e-5", 6.8523015e-5)]
    [InlineData("1.0e+999", double.PositiveInfinity)]
    [InlineData(".inf", double.PositiveInfinity)]
    [InlineData("-.Inf", double.NegativeInfinity)]
    [InlineData("+.INF", double.PositiveInfinity)]
    [InlineData("1:30.5", 90.5)]
    public void FromYaml_Floats_FollowPyYaml(string text, double expected)
    {
        Value(text).ShouldBe(new QuiltJsonFloat(expected));
    }

    [Fact]
    public void FromYaml_NaN_IsFloatNaN()
    {
        double.IsNaN(((QuiltJsonFloat)Value(".nan")).Value).ShouldBeTrue();
        double.IsNaN(((QuiltJsonFloat)Value(".NaN")).Value).ShouldBeTrue();
    }

    [Theory]
    [InlineData("1e3")]
    [InlineData("1.0e3")]
    [InlineData("0o17")]
    [InlineData("09")]
    [InlineData("0x")]
    [InlineData("1:70")]
    [InlineData("-.5")]
    [InlineData(".")]
    [InlineData("2024-01-31")]
    [InlineData("2001-12-14t21:59:43.10-05:00")]
    [InlineData("nan")]
    [InlineData("inf")]
    [InlineData("1.2.3")]
    [InlineData("<<")]
    [InlineData("=")]
    public void FromYaml_NumberLookalikesAndDates_AreStrings(string text)
    {
        Value(text).ShouldBe(new QuiltJsonString(text));
    }

    [Theory]
    [InlineData("'123'", "123")]
    [InlineData("\"0x1F\"", "0x1F")]
    [InlineData("\"\"", "")]
    [InlineData("''", "")]
    [InlineData("'~'", "~")]
    [InlineData("!!str 12", "12")]
    [InlineData("!!str yes", "yes")]
    [InlineData("! 12", "12")]
    [InlineData("!!timestamp 2024-01-01", "2024-01-01")]
    [InlineData("\"a\\tb\\u00e9\"", "a\tbé")]
    public void FromYaml_QuotedOrStrTagged_AreStrings(string text, string expected)
    {
        Value(text).ShouldBe(new QuiltJsonString(expected));
    }

    [Theory]
    [InlineData("!!int '12'", "12")]
    [InlineData("!!int \"0x10\"", "16")]
    public void FromYaml_IntTag_ConstructsInteger(string text, string expected)
    {
        Value(text).ShouldBe(new QuiltJsonInteger(BigInteger.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void FromYaml_OtherStandardTags_Construct()
    {
        Value("!!float '1'").ShouldBe(new QuiltJsonFloat(1.0));
        Value("!!bool 'yEs'").ShouldBe(QuiltJsonBool.True);
        Value("!!bool 'off'").ShouldBe(QuiltJsonBool.False);
        Value("!!null 'anything'").ShouldBe(QuiltJsonNull.Instance);
        Value("!!seq [1]").ShouldBe(new QuiltJsonArray([new QuiltJsonInteger(1)]));
        Value("!!map {a: 1}").ShouldBe(new QuiltJsonObject([new("a", new QuiltJsonInteger(1))]));
        Value("! [1]").ShouldBe(new QuiltJsonArray([new QuiltJsonInteger(1)]));
    }

    [Theory]
    [InlineData("!!int abc", "line 1, column 4", "cannot construct 'tag:yaml.org,2002:int' from 'abc'")]
    [InlineData("!!float abc", "line 1, column 4", "cannot construct")]
    [InlineData("!!bool maybe", "line 1, column 4", "'maybe' is not a boolean")]
    [InlineData("!!int ''", "line 1, column 4", "empty integer")]
    [InlineData("!!float ''", "line 1, column 4", "empty float")]
    [InlineData("!!int '0b'", "line 1, column 4", "missing digits")]
    [InlineData("!!binary aGVsbG8=", "line 1, column 4", "could not determine a constructor for the tag 'tag:yaml.org,2002:binary'")]
    [InlineData("!custom x", "line 1, column 4", "could not determine a constructor for the tag '!custom'")]
    [InlineData("!!set {a, b}", "line 1, column 4", "could not determine a constructor for the tag 'tag:yaml.org,2002:set'")]
    [InlineData("!!omap [a: 1]", "line 1, column 4", "could not determine a constructor for the tag 'tag:yaml.org,2002:omap'")]
    public void FromYaml_BadOrUnsupportedTag_ThrowsWithPosition(string text, string position, string what)
    {
        var error = Should.Throw<QuiltException>(() => Value(text));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldStartWith($"Malformed YAML at {position}: ");
        error.Message.ShouldContain(what);
    }

    [Fact]
    public void FromYaml_Structure_KeepsOrderAndNesting()
    {
        const string yaml = """
            # comment
            version: "1"
            workflows:
              beta:
                name: Beta
                tags: [a, 'b', 3]
              alpha:
                name: Alpha
                description: |
                  Line one
                  Line two
                folded: >
                  a
                  b
            empty_list: []
            empty_map: {}
            """;

        var value = YamlJson.FromYaml(yaml).ShouldBeOfType<QuiltJsonObject>();

        value.Names.ShouldBe(["version", "workflows", "empty_list", "empty_map"]);
        value["version"].ShouldBe(new QuiltJsonString("1"));
        var workflows = (QuiltJsonObject)value["workflows"];
        workflows.Names.ShouldBe(["beta", "alpha"]);
        ((QuiltJsonObject)workflows["beta"])["tags"].ShouldBe(new QuiltJsonArray([new QuiltJsonString("a"), new QuiltJsonString("b"), new QuiltJsonInteger(3)]));
        ((QuiltJsonObject)workflows["alpha"])["description"].ShouldBe(new QuiltJsonString("Line one\nLine two\n"));
        ((QuiltJsonObject)workflows["alpha"])["folded"].ShouldBe(new QuiltJsonString("a b\n"));
        value["empty_list"].ShouldBe(QuiltJsonArray.Empty);
        value["empty_map"].ShouldBe(QuiltJsonObject.Empty);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("---\n")]
    [InlineData("---\n...\n")]
    public void FromYaml_EmptyDocument_IsNull(string yaml)
    {
        YamlJson.FromYaml(yaml).ShouldBe(QuiltJsonNull.Instance);
    }

    [Fact]
    public void FromYaml_TopLevelScalarAndList_AreSupported()
    {
        YamlJson.FromYaml("42").ShouldBe(new QuiltJsonInteger(42));
        YamlJson.FromYaml("- a\n- 1.5\n").ShouldBe(new QuiltJsonArray([new QuiltJsonString("a"), new QuiltJsonFloat(1.5)]));
    }

    [Fact]
    public void FromYaml_DuplicateKeys_LastValueWinsAtFirstPosition()
    {
        var value = (QuiltJsonObject)YamlJson.FromYaml("a: 1\nb: 2\na: 3\n");

        value.Names.ShouldBe(["a", "b"]);
        value["a"].ShouldBe(new QuiltJsonInteger(3));
    }

    [Fact]
    public void FromYaml_AnchorsAndAliases_AreCopied()
    {
        var value = (QuiltJsonObject)YamlJson.FromYaml("base: &b {x: 1}\ncopy: *b\nlist: &l [1, 2]\nagain: *l\n");

        value["copy"].ShouldBe(value["base"]);
        value["again"].ShouldBe(new QuiltJsonArray([new QuiltJsonInteger(1), new QuiltJsonInteger(2)]));
    }

    [Fact]
    public void FromYaml_MergeKey_ExplicitKeysOverrideMergedOnes()
    {
        const string yaml = """
            defaults: &defaults
              is_message_required: true
              name: Default
            wf:
              <<: *defaults
              name: Mine
            """;

        var wf = (QuiltJsonObject)((QuiltJsonObject)YamlJson.FromYaml(yaml))["wf"];

        wf.Names.ShouldBe(["is_message_required", "name"]);
        wf["name"].ShouldBe(new QuiltJsonString("Mine"));
        wf["is_message_required"].ShouldBe(QuiltJsonBool.True);
    }

    [Fact]
    public void FromYaml_MergeList_EarlierMappingsWin()
    {
        const string yaml = """
            a: &a {x: 1, y: 1}
            b: &b {y: 2, z: 2}
            c:
              <<: [*a, *b]
              w: 0
            """;

        var c = (QuiltJsonObject)((QuiltJsonObject)YamlJson.FromYaml(yaml))["c"];

        c["x"].ShouldBe(new QuiltJsonInteger(1));
        c["y"].ShouldBe(new QuiltJsonInteger(1));
        c["z"].ShouldBe(new QuiltJsonInteger(2));
        c["w"].ShouldBe(new QuiltJsonInteger(0));
    }

    [Fact]
    public void FromYaml_QuotedMergeKey_IsAnOrdinaryKey()
    {
        var value = (QuiltJsonObject)YamlJson.FromYaml("'<<': 1\n");

        value["<<"].ShouldBe(new QuiltJsonInteger(1));
    }

    [Fact]
    public void FromYaml_MergeOfScalar_Throws()
    {
        Should.Throw<QuiltException>(() => YamlJson.FromYaml("a: &a 1\nb:\n  <<: *a\n")).Message.ShouldContain("expected a mapping or list of mappings for merging");
        Should.Throw<QuiltException>(() => YamlJson.FromYaml("b:\n  <<: [{a: 1}, 2]\n")).Message.ShouldContain("for merging");
    }

    [Fact]
    public void FromYaml_NonStringKeys_BecomeJsonText()
    {
        var value = (QuiltJsonObject)YamlJson.FromYaml("1: a\ntrue: b\n~: c\n1.5: d\n0x10: e\n.inf: f\n-.inf: g\n.nan: h\n");

        value.Names.ShouldBe(["1", "true", "null", "1.5", "16", "Infinity", "-Infinity", "NaN"]);
    }

    [Theory]
    [InlineData("a: [1, 2\n", "Malformed YAML at line 2, column 1: ")]
    [InlineData("a: b: c\n", "Malformed YAML at line 1, column 5: ")]
    [InlineData("a:\n  - 1\n b: 2\n", "Malformed YAML at line 3, column 2: ")]
    [InlineData("a: *nowhere\n", "Malformed YAML at line 1, column 4: found undefined alias *nowhere.")]
    [InlineData("a: &x [1, *x]\n", "Malformed YAML at line 1, column 11: the alias *x refers to a node that contains it")]
    [InlineData("a: 1\n---\nb: 2\n", "Malformed YAML at line 2, column 1: expected a single document in the stream")]
    [InlineData("? [1, 2]\n: x\n", "Malformed YAML at line 1, column 3: found unhashable key")]
    [InlineData("? {a: 1}\n: x\n", "Malformed YAML at line 1, column 3: found unhashable key")]
    [InlineData("x: \"\\ud800\"\n", "Malformed YAML at line 1, column 4: ")]
    public void FromYaml_Malformed_ThrowsInvalidInputWithLineAndColumn(string yaml, string expectedStart)
    {
        var error = Should.Throw<QuiltException>(() => YamlJson.FromYaml(yaml));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldStartWith(expectedStart);
        error.Hint.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public void FromYaml_DeepNesting_ThrowsInsteadOfOverflowing()
    {
        var yaml = new string('[', 2000) + new string(']', 2000);

        Should.Throw<QuiltException>(() => YamlJson.FromYaml(yaml)).Message.ShouldContain("nests deeper");
    }

    [Fact]
    public void FromYaml_Null_Throws()
    {
        Should.Throw<ArgumentNullException>(() => YamlJson.FromYaml(null!));
    }

    [Fact]
    public void FromYaml_UnicodeAndEscapes_ArePreserved()
    {
        var value = (QuiltJsonObject)YamlJson.FromYaml("name: \"Données \\U0001F4A9\"\nplain: héllo wörld\n");

        value["name"].ShouldBe(new QuiltJsonString("Données \U0001F4A9"));
        value["plain"].ShouldBe(new QuiltJsonString("héllo wörld"));
    }
}
