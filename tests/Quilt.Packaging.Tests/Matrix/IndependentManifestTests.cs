using System.Text.Json;
using Quilt.Testing;

namespace Quilt.Packaging.Tests.Matrix;

/// <summary>The matrix's own top-hash recomputation, checked against quilt3's vectors before it is trusted in 240 cells.</summary>
public sealed class IndependentManifestTests
{
    public static IEnumerable<TheoryDataRow<string, string>> TopHashVectors()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Vectors, "expected.json")));
        foreach (var vector in document.RootElement.GetProperty("top_hash").EnumerateArray())
        {
            yield return new TheoryDataRow<string, string>(vector.GetProperty("manifest").GetString()!, vector.GetProperty("expected").GetString()!)
            {
                TestDisplayName = "Matrix top-hash vector: " + vector.GetProperty("name").GetString(),
            };
        }
    }

    [Theory]
    [MemberData(nameof(TopHashVectors))]
    public void ComputeTopHash_QuiltVector_MatchesQuilt3(string manifest, string expected)
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Vectors, manifest));

        IndependentManifest.Parse(text).ComputeTopHash().ShouldBe(expected);
    }

    [Fact]
    public void ComputeTopHash_PhysicalKeyChanged_SameHashButSizeChanged_DifferentHash()
    {
        const string header = "{\"version\": \"v0\", \"message\": \"m\"}\n";
        const string line = "{\"logical_key\": \"a\", \"physical_keys\": [\"s3://b/a?versionId=1\"], \"size\": 3, \"hash\": {\"type\": \"sha2-256-chunked\", \"value\": \"x\"}, \"meta\": {}}\n";
        var baseline = IndependentManifest.Parse(header + line).ComputeTopHash();

        IndependentManifest.Parse(header + line.Replace("versionId=1", "versionId=2", StringComparison.Ordinal)).ComputeTopHash().ShouldBe(baseline);
        IndependentManifest.Parse(header + line.Replace("\"size\": 3", "\"size\": 4", StringComparison.Ordinal)).ComputeTopHash().ShouldNotBe(baseline);
    }

    [Theory]
    [InlineData("s3://bkt/a%20b/c.bin?versionId=v1", "bkt", "a b/c.bin", "v1")]
    [InlineData("s3://bkt/x.bin", "bkt", "x.bin", null)]
    public void Parse_PhysicalKey_BucketKeyAndVersion(string url, string bucket, string key, string? version)
    {
        RawPhysicalKey.Parse(url).ShouldBe(new RawPhysicalKey(bucket, key, version));
    }
}
