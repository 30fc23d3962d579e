using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Quilt.Core.Errors;
using Quilt.Core.Json;
using Quilt.Core.Manifests;
using Quilt.Testing;
using static Quilt.Core.Tests.Manifests.ManifestTestKit;

namespace Quilt.Core.Tests.Manifests;

public sealed class TopHashTests
{
    private const string Header = "{\"version\": \"v0\", \"message\": null}\n";

    [Fact]
    public void Compute_EmptyBuild_MatchesWorkedExample()
    {
        var manifest = Manifest.Create(Manifest.CreateHeader(null, null, null), []);
        TopHash.Compute(manifest).ShouldBe("2a5a67156ca9238c14d12042db51c5b52260fdd5511b61ea89b58929d6e1769b");
        TopHash.Compute(manifest).ShouldBe(Sha256Hex("{\"message\":null,\"version\":\"v0\"}"));
    }

    [Fact]
    public void Compute_NonAsciiKey_IsHashedEscapedNotRaw()
    {
        var manifest = ManifestReader.Read(File.ReadAllBytes(Path.Combine(RepoPaths.Vectors, "manifests/top_hash_test_manifest.jsonl")));
        manifest.ComputeTopHash().ShouldBe("3426a3f721e41a1d83174c691432a39ff13720426267fc799dccf3583153e850");

        // The same canonical text with non-ASCII left raw (ensure_ascii=False) gives the wrong hash the README warns about.
        var canonical = JsonText.SerializeCanonical(manifest.Header) + string.Concat(manifest.Entries.Select(e =>
            JsonText.SerializeCanonical(Obj(("hash", HashObject(e.Hash)), ("logical_key", new QuiltJsonString(e.LogicalKey)), ("meta", e.Meta), ("size", new QuiltJsonInteger(e.Size))))));
        var raw = Regex.Replace(canonical, @"\\u(0[4-7][0-9a-f]{2})", m => ((char)int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString());
        raw.ShouldContain("куилт.txt");
        Sha256Hex(raw).ShouldStartWith("f05a508e");
        Sha256Hex(canonical).ShouldBe(manifest.ComputeTopHash());
    }

    [Fact]
    public void Compute_HashesEntriesInWalkOrder_ABeforeAHyphen()
    {
        var manifest = Manifest.Create(Manifest.CreateHeader(null, null, "m"), [Entry("a-c"), Entry("a/b")]);
        manifest.Entries.Select(e => e.LogicalKey).ShouldBe(["a/b", "a-c"]);
        manifest.ComputeTopHash().ShouldBe(NaiveTopHash(manifest));

        var flatOrder = NaiveTopHash(manifest.Header, manifest.Entries.Reverse()
            .Select(e => (e.LogicalKey, (QuiltJsonValue)HashObject(e.Hash), (QuiltJsonValue)e.Meta, (QuiltJsonValue)new QuiltJsonInteger(e.Size))));
        manifest.ComputeTopHash().ShouldNotBe(flatOrder);
    }

    [Fact]
    public void Compute_SupplementaryCharacterSortsAfterUffff()
    {
        var manifest = Manifest.Create(Manifest.CreateHeader(null, null, null), [Entry("😀"), Entry("\uffff"), Entry("é"), Entry("a"), Entry("Z"), Entry("B")]);
        manifest.Entries.Select(e => e.LogicalKey).ShouldBe(["B", "Z", "a", "é", "\uffff", "😀"]);
        manifest.ComputeTopHash().ShouldBe(NaiveTopHash(manifest));
    }

    [Fact]
    public void Compute_MessageAbsentNullOrEmpty_GivesThreeDifferentHashes()
    {
        var absent = Read("{\"version\": \"v0\"}\n").ComputeTopHash();
        var isNull = Read("{\"version\": \"v0\", \"message\": null}\n").ComputeTopHash();
        var empty = Read("{\"version\": \"v0\", \"message\": \"\"}\n").ComputeTopHash();
        new[] { absent, isNull, empty }.Distinct().Count().ShouldBe(3);
        absent.ShouldBe(Sha256Hex("{\"version\":\"v0\"}"));
        isNull.ShouldBe(Sha256Hex("{\"message\":null,\"version\":\"v0\"}"));
        empty.ShouldBe(Sha256Hex("{\"message\":\"\",\"version\":\"v0\"}"));
    }

    [Fact]
    public void Compute_NaNAndInfinityInMetadata_AreReadAndHashedAsLiterals()
    {
        var manifest = Read("{\"version\": \"v0\", \"user_meta\": {\"y\": -Infinity, \"x\": NaN, \"z\": Infinity}}\n");
        manifest.ComputeTopHash().ShouldBe(Sha256Hex("{\"user_meta\":{\"x\":NaN,\"y\":-Infinity,\"z\":Infinity},\"version\":\"v0\"}"));
    }

    [Fact]
    public void Compute_FloatTokens_AreHashedAsReserializedValues()
    {
        Read("{\"version\": \"v0\", \"user_meta\": [1e2, 1.50, -0, 1E400]}\n").ComputeTopHash()
            .ShouldBe(Sha256Hex("{\"user_meta\":[100.0,1.5,0,Infinity],\"version\":\"v0\"}"));
        Read("{\"version\": \"v0\", \"user_meta\": 1e2}\n").ComputeTopHash()
            .ShouldNotBe(Read("{\"version\": \"v0\", \"user_meta\": 100}\n").ComputeTopHash());
    }

    [Fact]
    public void Compute_BigIntegers_AreHashedExactly()
    {
        const string big = "123456789012345678901234567890123456789";
        var manifest = Read($"{{\"version\": \"v0\", \"user_meta\": {{\"n\": {big}, \"m\": -{big}}}}}\n");
        manifest.UserMeta.ShouldBeOfType<QuiltJsonObject>()["n"].ShouldBe(new QuiltJsonInteger(BigInteger.Parse(big, CultureInfo.InvariantCulture)));
        manifest.ComputeTopHash().ShouldBe(Sha256Hex($"{{\"user_meta\":{{\"m\":-{big},\"n\":{big}}},\"version\":\"v0\"}}"));
    }

    [Fact]
    public void Compute_SizeAsFloat_IsHashedAsStored()
    {
        const string line = "{{\"logical_key\": \"f\", \"physical_keys\": [\"s3://b/f\"], \"size\": {0}, \"hash\": {{\"type\": \"SHA256\", \"value\": \"ab\"}}, \"meta\": {{}}}}\n";
        var asFloat = Read(Header + string.Format(CultureInfo.InvariantCulture, line, "5.0"));
        var asInt = Read(Header + string.Format(CultureInfo.InvariantCulture, line, "5"));
        asFloat.Entries[0].Size.ShouldBe(5);
        asFloat.ComputeTopHash().ShouldNotBe(asInt.ComputeTopHash());
        asFloat.ComputeTopHash().ShouldBe(Sha256Hex(
            "{\"message\":null,\"version\":\"v0\"}{\"hash\":{\"type\":\"SHA256\",\"value\":\"ab\"},\"logical_key\":\"f\",\"meta\":{},\"size\":5.0}"));
        asInt.ComputeTopHash().ShouldBe(asInt.ComputeTopHash());
        asInt.ComputeTopHash().ShouldBe(NaiveTopHash(asInt));
    }

    [Fact]
    public void Compute_HashObjectWithExtraMembers_HashesThemAll()
    {
        var manifest = Read(Header +
            "{\"logical_key\": \"f\", \"physical_keys\": [\"s3://b/f\"], \"size\": 1, \"hash\": {\"value\": \"ab\", \"type\": \"SHA256\", \"extra\": [1]}, \"meta\": {}}\n");
        manifest.Entries[0].Hash.ShouldBe(new Quilt.Core.Hashing.QuiltHash("SHA256", "ab"));
        manifest.ComputeTopHash().ShouldBe(Sha256Hex(
            "{\"message\":null,\"version\":\"v0\"}{\"hash\":{\"extra\":[1],\"type\":\"SHA256\",\"value\":\"ab\"},\"logical_key\":\"f\",\"meta\":{},\"size\":1}"));
    }

    [Theory]
    [InlineData("\"size\": null, \"hash\": {\"type\": \"SHA256\", \"value\": \"ab\"}")]
    [InlineData("\"size\": 1, \"hash\": null")]
    public void Compute_EntryWithNullHashOrSize_Throws(string members)
    {
        var manifest = Read(Header + "{\"logical_key\": \"f\", \"physical_keys\": [\"s3://b/f\"], " + members + ", \"meta\": {}}\n");
        manifest.Entries[0].HasSizeAndHash.ShouldBeFalse();
        var error = Should.Throw<QuiltException>(() => manifest.ComputeTopHash());
        error.Kind.ShouldBe(QuiltErrorKind.Integrity);
        error.Message.ShouldStartWith("PackageEntry missing hash and/or size");
    }

    [Fact]
    public void Compute_IgnoresPhysicalKeysAndDirectoryMetadata()
    {
        var a = Manifest.Create(Manifest.CreateHeader(null, null, "m"), [new ManifestEntry("d/f", "s3://one/f", 3, SampleHash)]);
        var b = Manifest.Create(
            Manifest.CreateHeader(null, null, "m"),
            [new ManifestEntry("d/f", "file:///elsewhere/f", 3, SampleHash)],
            [new DirectoryEntry("d/", Obj(("k", new QuiltJsonString("v"))))]);
        a.ComputeTopHash().ShouldBe(b.ComputeTopHash());
    }

    [Fact]
    public void Compute_DependsOnHeaderUnknownMembersMetaSizeAndHashType()
    {
        var baseline = Manifest.Create(Manifest.CreateHeader(null, null, "m"), [Entry("f", 3)]).ComputeTopHash();
        Manifest.Create(Manifest.CreateHeader(null, null, "m").With("extra", QuiltJsonBool.True), [Entry("f", 3)]).ComputeTopHash().ShouldNotBe(baseline);
        Manifest.Create(Manifest.CreateHeader(QuiltJsonNull.Instance, null, "m"), [Entry("f", 3)]).ComputeTopHash().ShouldNotBe(baseline);
        Manifest.Create(Manifest.CreateHeader(null, null, "m"), [Entry("f", 4)]).ComputeTopHash().ShouldNotBe(baseline);
        Manifest.Create(Manifest.CreateHeader(null, null, "m"), [Entry("f", 3, Obj(("user_meta", QuiltJsonObject.Empty)))]).ComputeTopHash().ShouldNotBe(baseline);
        Manifest.Create(Manifest.CreateHeader(null, null, "m"), [new ManifestEntry("f", "s3://b/f", 3, SampleHash with { Type = "SHA256" })])
            .ComputeTopHash().ShouldNotBe(baseline);
    }

    [Fact]
    public void Compute_LargeManifest_StreamsToTheSameHashAsTheNaiveConcatenation()
    {
        var entries = Enumerable.Range(0, 200_000).Select(i => new ManifestEntry(
            $"dir{i % 97}/sub{i % 13}/file-{i}.csv",
            $"s3://bucket/prefix/file-{i}.csv?versionId=v{i}",
            i * 37L,
            SampleHash,
            i % 10 == 0 ? Obj(("user_meta", Obj(("i", new QuiltJsonInteger(i)), ("name", new QuiltJsonString("é" + i))))) : null));
        var manifest = Manifest.Create(Manifest.CreateHeader(Obj(("k", new QuiltJsonString("v"))), null, "big"), entries);
        manifest.Entries.Count.ShouldBe(200_000);
        TopHash.Compute(manifest).ShouldBe(NaiveTopHash(manifest));
    }

    [Fact]
    public void Compute_Null_Throws() => Should.Throw<ArgumentNullException>(() => TopHash.Compute(null!));
}
