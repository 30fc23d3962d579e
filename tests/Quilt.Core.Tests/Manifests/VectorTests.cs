using Quilt.Core.Json;
using Quilt.Core.Manifests;
using Quilt.Testing;

namespace Quilt.Core.Tests.Manifests;

/// <summary>Every top-hash and manifest-parse expectation of shared/vectors/expected.json, read at test time.</summary>
public sealed class VectorTests
{
    public static TheoryData<string, string, string> TopHashVectors()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var item in Expected("top_hash"))
        {
            data.Add(Text(item, "name"), Text(item, "manifest"), Text(item, "expected"));
        }

        return data;
    }

    public static TheoryData<string, string, string[]> ManifestParseVectors()
    {
        var data = new TheoryData<string, string, string[]>();
        foreach (var item in Expected("manifest_parse"))
        {
            var order = item.ShouldBeOfType<QuiltJsonObject>()["file_entries_in_walk_order"].ShouldBeOfType<QuiltJsonArray>()
                .Select(v => v.ShouldBeOfType<QuiltJsonString>().Value).ToArray();
            data.Add(Text(item, "name"), Text(item, "manifest"), order);
        }

        return data;
    }

    [Fact]
    public void ExpectedJson_HasTheVectorsThisSuiteChecks()
    {
        Expected("top_hash").Count.ShouldBe(6);
        Expected("manifest_parse").Count.ShouldBe(2);
    }

    [Theory]
    [MemberData(nameof(TopHashVectors))]
    public void TopHash_OfVectorManifest_MatchesQuilt3(string name, string manifest, string expected)
    {
        var parsed = ManifestReader.Read(File.ReadAllBytes(VectorPath(manifest)));
        TopHash.Compute(parsed).ShouldBe(expected, name);
        parsed.ComputeTopHash().ShouldBe(expected, name);
    }

    [Theory]
    [MemberData(nameof(TopHashVectors))]
    public void TopHash_OfVectorManifestReadFromStream_MatchesQuilt3(string name, string manifest, string expected)
    {
        using var stream = File.OpenRead(VectorPath(manifest));
        ManifestReader.Read(stream).ComputeTopHash().ShouldBe(expected, name);
    }

    [Theory]
    [MemberData(nameof(ManifestParseVectors))]
    public void Read_LegacyVectorManifest_GivesWalkOrder(string name, string manifest, string[] order)
    {
        var parsed = ManifestReader.Read(File.ReadAllBytes(VectorPath(manifest)));
        parsed.Entries.Select(e => e.LogicalKey).ShouldBe(order, name);
        parsed.Header.ContainsName("version").ShouldBeFalse();
        parsed.Header["semver"].ShouldBe(new QuiltJsonString("1.1.1"));
        parsed.Entries.ShouldAllBe(e => e.Size == 1024 && e.Hash.Type == "SHA256" && e.Hash.Value == "abcd");
    }

    [Theory]
    [MemberData(nameof(ManifestParseVectors))]
    public void TopHash_OfBothLegacyManifests_IsTheSameBecausePhysicalKeysAreNotHashed(string name, string manifest, string[] order)
    {
        _ = order;
        var parsed = ManifestReader.Read(File.ReadAllBytes(VectorPath(manifest)));
        var other = ManifestReader.Read(File.ReadAllBytes(VectorPath("manifests/local_manifest.jsonl")));
        parsed.ComputeTopHash().ShouldBe(other.ComputeTopHash(), name);
    }

    [Theory]
    [InlineData("manifests/reconstructed/empty_build.jsonl")]
    [InlineData("manifests/reconstructed/empty_build_workflow.jsonl")]
    [InlineData("manifests/reconstructed/top_hash_test_manifest_with_dir_meta.jsonl")]
    [InlineData("manifests/reconstructed/load_into_quilt_push1.jsonl")]
    [InlineData("manifests/reconstructed/load_into_quilt_push2.jsonl")]
    public void Write_OfReadQuilt3Manifest_IsByteIdentical(string manifest)
    {
        var bytes = File.ReadAllBytes(VectorPath(manifest));
        ManifestWriter.Write(ManifestReader.Read(bytes)).ShouldBe(bytes);
    }

    [Fact]
    public void Write_VerbatimTopHashManifestAfterDirMeta_GivesTheReconstructedDump()
    {
        // quilt3: load top_hash_test_manifest.jsonl, pkg['b'].set_meta({'key': 'value'}), dump.
        var original = ManifestReader.Read(File.ReadAllBytes(VectorPath("manifests/top_hash_test_manifest.jsonl")));
        var changed = Manifest.Create(
            original.Header,
            original.Entries,
            [new DirectoryEntry("b/", new QuiltJsonObject([new("key", new QuiltJsonString("value"))]))]);
        ManifestWriter.Write(changed).ShouldBe(
            File.ReadAllBytes(VectorPath("manifests/reconstructed/top_hash_test_manifest_with_dir_meta.jsonl")));
    }

    [Fact]
    public void Write_BuiltInCode_ReproducesEmptyBuildManifests()
    {
        ManifestWriter.Write(Manifest.Create(Manifest.CreateHeader(null, null, null), []))
            .ShouldBe(File.ReadAllBytes(VectorPath("manifests/reconstructed/empty_build.jsonl")));

        // The workflow test mocks validation to return a string, so the header member is not an object there.
        var header = Manifest.CreateHeader(null, null, null);
        var withWorkflow = new QuiltJsonObject([header[0], new("workflow", new QuiltJsonString("workflow data")), header[1]]);
        ManifestWriter.Write(Manifest.Create(withWorkflow, []))
            .ShouldBe(File.ReadAllBytes(VectorPath("manifests/reconstructed/empty_build_workflow.jsonl")));
    }

    private static string VectorPath(string relative) => Path.Combine(RepoPaths.Vectors, relative);

    private static QuiltJsonArray Expected(string section)
    {
        var root = JsonText.Parse(File.ReadAllBytes(Path.Combine(RepoPaths.Vectors, "expected.json"))).ShouldBeOfType<QuiltJsonObject>();
        return root[section].ShouldBeOfType<QuiltJsonArray>();
    }

    private static string Text(QuiltJsonValue item, string name) =>
        item.ShouldBeOfType<QuiltJsonObject>()[name].ShouldBeOfType<QuiltJsonString>().Value;
}
