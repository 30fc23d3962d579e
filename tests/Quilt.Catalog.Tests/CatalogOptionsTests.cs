using Quilt.Core.Errors;

namespace Quilt.Catalog.Tests;

/// <summary>Catalog configuration from the environment and the choice between direct and catalog mode.</summary>
public sealed class CatalogOptionsTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] values)
    {
        var map = values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return name => map.GetValueOrDefault(name);
    }

    [Fact]
    public void FromEnvironment_ReadsEverything()
    {
        var options = CatalogOptions.FromEnvironment(Env(
            ("QUILT_CATALOG_URL", " https://quilt.example.com "),
            ("QUILT_REGISTRY_URL", "https://quilt-registry.example.com"),
            ("QUILT_JWT", "jwt-value"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:9000"),
            ("AWS_DEFAULT_REGION", "eu-west-1")));

        options.CatalogUrl.ShouldBe("https://quilt.example.com");
        options.RegistryUrl.ShouldBe("https://quilt-registry.example.com");
        options.Token.ShouldBe("jwt-value");
        options.S3ServiceUrl.ShouldBe("http://127.0.0.1:9000");
        options.Region.ShouldBe("eu-west-1");
        options.HasEndpoint.ShouldBeTrue();
        options.HasToken.ShouldBeTrue();
    }

    [Fact]
    public void FromEnvironment_SpecificVariablesWin()
    {
        var options = CatalogOptions.FromEnvironment(Env(
            ("AWS_ENDPOINT_URL", "http://general"),
            ("AWS_ENDPOINT_URL_S3", "http://s3-specific"),
            ("AWS_DEFAULT_REGION", "eu-west-1"),
            ("AWS_REGION", "us-west-2")));

        options.S3ServiceUrl.ShouldBe("http://s3-specific");
        options.Region.ShouldBe("us-west-2");
        options.HasEndpoint.ShouldBeFalse();
        options.HasToken.ShouldBeFalse();
    }

    [Theory]
    [InlineData("quilt.example.com")]
    [InlineData("ftp://quilt.example.com")]
    [InlineData("https://quilt.example.com/?x=1")]
    [InlineData("https://user:pw@quilt.example.com")]
    [InlineData("/relative")]
    public void FromEnvironment_BadUrl_InvalidInput(string url)
    {
        var error = Should.Throw<QuiltException>(() => CatalogOptions.FromEnvironment(Env(("QUILT_CATALOG_URL", url))));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldContain("QUILT_CATALOG_URL");
    }

    [Fact]
    public void ParseHttpUrl_EmptyIsNull() => CatalogOptions.ParseHttpUrl("  ", "X").ShouldBeNull();

    [Fact]
    public void ToString_HidesToken()
    {
        var text = new CatalogOptions { CatalogUrl = "https://c", Token = "super-secret-jwt" }.ToString();

        text.ShouldContain("Token = ****");
        text.ShouldNotContain("super-secret-jwt");
        new CatalogOptions().ToString().ShouldContain("Token = ,");
    }

    [Theory]
    [InlineData(null, null, true, true, QuiltMode.Catalog)]
    [InlineData(null, null, true, false, QuiltMode.Direct)]
    [InlineData(null, null, false, true, QuiltMode.Direct)]
    [InlineData(null, "catalog", true, false, QuiltMode.Catalog)]
    [InlineData(null, "DIRECT", true, true, QuiltMode.Direct)]
    [InlineData(null, "auto", true, true, QuiltMode.Catalog)]
    [InlineData("direct", "catalog", true, true, QuiltMode.Direct)]
    [InlineData(" Catalog ", "direct", true, false, QuiltMode.Catalog)]
    [InlineData("auto", "direct", false, false, QuiltMode.Direct)]
    public void Resolve_ChoosesMode(string? option, string? variable, bool url, bool token, QuiltMode expected)
    {
        var options = new CatalogOptions { CatalogUrl = url ? "https://c.example.com" : null, Token = token ? "t" : null };

        QuiltModeSelector.Resolve(option, options, variable is null ? Env() : Env(("QUILT_MODE", variable))).ShouldBe(expected);
    }

    [Fact]
    public void Resolve_RegistryUrlAloneCountsAsEndpoint() =>
        QuiltModeSelector.Resolve(null, new CatalogOptions { RegistryUrl = "https://r", Token = "t" }, Env()).ShouldBe(QuiltMode.Catalog);

    [Fact]
    public void Resolve_CatalogWithoutAddress_InvalidInput()
    {
        var error = Should.Throw<QuiltException>(() => QuiltModeSelector.Resolve("catalog", new CatalogOptions { Token = "t" }, Env()));

        error.Hint!.ShouldContain("QUILT_CATALOG_URL");
    }

    [Theory]
    [InlineData("jwt", null)]
    [InlineData(null, "s3")]
    public void Resolve_UnknownMode_InvalidInput(string? option, string? variable)
    {
        var error = Should.Throw<QuiltException>(() => QuiltModeSelector.Resolve(option, new CatalogOptions(), variable is null ? Env() : Env(("QUILT_MODE", variable))));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldContain(option is null ? "QUILT_MODE" : "--mode");
    }
}
