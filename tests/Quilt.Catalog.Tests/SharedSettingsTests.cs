using Quilt.Packaging;

namespace Quilt.Catalog.Tests;

/// <summary>Both modes read the shared tunables in one place and have the same defaults.</summary>
public sealed class SharedSettingsTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] values)
    {
        var map = values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return name => map.GetValueOrDefault(name);
    }

    [Theory]
    [InlineData("7", 7)]
    [InlineData(" 64 ", 64)]
    [InlineData("0", PackagingOptions.DefaultConcurrency)]
    [InlineData("-3", PackagingOptions.DefaultConcurrency)]
    [InlineData("many", PackagingOptions.DefaultConcurrency)]
    public void FromEnvironment_QuiltConcurrency_IsTheSameInBothModes(string value, int expected)
    {
        var env = Env(("QUILT_CONCURRENCY", value));

        PackagingOptions.FromEnvironment(env).Concurrency.ShouldBe(expected);
        CatalogOptions.FromEnvironment(env).Concurrency.ShouldBe(expected);
    }

    [Fact]
    public void Defaults_AreTheSameInBothModes()
    {
        var direct = PackagingOptions.FromEnvironment(Env());
        var catalog = CatalogOptions.FromEnvironment(Env());

        catalog.Concurrency.ShouldBe(direct.Concurrency);
        catalog.Concurrency.ShouldBe(32);
        catalog.SmallObjectThreshold.ShouldBe(direct.SmallObjectThreshold);
        catalog.MaxMetadataBytes.ShouldBe(direct.MaxMetadataBytes);
        catalog.MaxPlanEntriesShown.ShouldBe(direct.MaxPlanEntriesShown);
        new CatalogOptions().Concurrency.ShouldBe(new PackagingOptions().Concurrency);
    }

    [Fact]
    public void FromEnvironment_StateDirectory_PrefersTheExplicitFolderThenXdg()
    {
        PackagingOptions.FromEnvironment(Env(("QUILT_MCP_STATE_DIR", "/tmp/q-state"), ("XDG_STATE_HOME", "/tmp/xdg"))).StateDirectory.ShouldBe("/tmp/q-state");
        PackagingOptions.FromEnvironment(Env(("XDG_STATE_HOME", "/tmp/xdg"))).StateDirectory.ShouldBe("/tmp/xdg/quilt-mcp");
        PackagingOptions.FromEnvironment(Env(("XDG_STATE_HOME", "relative"))).StateDirectory.ShouldNotBe("relative/quilt-mcp");
        PackagingOptions.FromEnvironment(Env(("QUILT_CATALOG_URL", " https://q.example.com "))).CatalogUrl.ShouldBe("https://q.example.com");
    }
}
