using System.Text;
using Quilt.Core.Errors;
using Quilt.Core.Hashing;
using Quilt.Core.Json;
using Quilt.Core.Manifests;
using static Quilt.Core.Tests.Manifests.ManifestTestKit;

namespace Quilt.Core.Tests.Manifests;

public sealed class ManifestReaderTests
{
    private const string Header = "{\"version\": \"v0\", \"message\": null}";
    private const string FileA = "{\"logical_key\": \"a\", \"physical_keys\": [\"s3://b/a\"], \"size\": 1, \"hash\": {\"type\": \"SHA256\", \"value\": \"aa\"}, \"meta\": {}}";
    private const string FileB = "{\"logical_key\": \"d/b\", \"physical_keys\": [\"s3://b/b\"], \"size\": 2, \"hash\": {\"type\": \"SHA256\", \"value\": \"bb\"}, \"meta\": {\"user_meta\": {\"k\": 1}}}";

    [Fact]
    public void Read_TypicalManifest_GivesHeaderEntriesAndMetadata()
    {
        var manifest = Read(Header + "\n" + FileB + "\n" + FileA + "\n");
        manifest.Header.Names.ShouldBe(["version", "message"]);
        manifest.Message.ShouldBeNull();
        manifest.UserMeta.ShouldBeNull();
        manifest.Entries.Select(e => e.LogicalKey).ShouldBe(["a", "d/b"]);
        var b = manifest.Entries[1];
        b.PhysicalKey.ShouldBe("s3://b/b");
        b.Size.ShouldBe(2);
        b.Hash.ShouldBe(new QuiltHash("SHA256", "bb"));
        b.UserMeta.ShouldBe(Obj(("k", new QuiltJsonInteger(1))));
        manifest.Directories.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\r")]
    [InlineData("\n")]
    public void Read_AnyUniversalNewline_GivesTheSameManifest(string newline)
    {
        var lf = Read(Header + "\n" + FileA + "\n" + FileB + "\n");
        var other = Read(Header + newline + FileA + newline + FileB + newline);
        ManifestWriter.Write(other).ShouldBe(ManifestWriter.Write(lf));
        other.ComputeTopHash().ShouldBe(lf.ComputeTopHash());
    }

    [Fact]
    public void Read_LastLineWithoutNewline_IsAccepted() =>
        Read(Header + "\n" + FileA).Entries.Count.ShouldBe(1);

    [Theory]
    [InlineData("\u2028")]
    [InlineData("\u2029")]
    [InlineData("\u0085")]
    [InlineData("\u000b\u000c\u001c\u001d\u001e")]
    public void Read_UnicodeLineSeparatorsInsideStrings_DoNotSplitLines(string separator)
    {
        var key = "x" + separator + "y";
        var line = FileA.Replace("\"logical_key\": \"a\"", "\"logical_key\": \"" + JsonEscapedForManifest(key) + "\"", StringComparison.Ordinal);
        var manifest = Read(Header + "\n" + line + "\n");
        manifest.Entries.ShouldHaveSingleItem().LogicalKey.ShouldBe(key);
    }

    [Theory]
    [InlineData(Header + "\n\n" + FileA + "\n", 2)]
    [InlineData(Header + "\n" + FileA + "\n\n", 3)]
    [InlineData(Header + "\n \t \n" + FileA + "\n", 2)]
    [InlineData("\n" + Header + "\n", 1)]
    [InlineData(Header + "\r\n\r\n", 2)]
    [InlineData(Header + "\r\r\n", 2)]
    public void Read_BlankLine_IsRejectedWithItsNumber(string text, int line)
    {
        var error = Should.Throw<QuiltException>(() => Read(text));
        error.Kind.ShouldBe(QuiltErrorKind.Integrity);
        error.Message.ShouldBe($"Manifest line {line} is blank.");
        error.Hint.ShouldNotBeNull();
    }

    [Theory]
    [InlineData("null", "null")]
    [InlineData("[1]", "an array")]
    [InlineData("\"s\"", "a string")]
    [InlineData("1", "a number")]
    [InlineData("true", "a boolean")]
    public void Read_NonObjectLine_IsRejected(string line, string what)
    {
        Should.Throw<QuiltException>(() => Read(Header + "\n" + line + "\n")).Message
            .ShouldBe($"Manifest line 2 is {what}, not a JSON object.");
        Should.Throw<QuiltException>(() => Read(line + "\n")).Message
            .ShouldBe($"Manifest line 1 is {what}, not a JSON object.");
    }

    [Fact]
    public void Read_InvalidJson_NamesLineAndByte()
    {
        var error = Should.Throw<QuiltException>(() => Read(Header + "\n{\"é\": 1,}\n"));
        error.Kind.ShouldBe(QuiltErrorKind.Integrity);
        error.Message.ShouldBe("Manifest line 2 is not valid JSON: Expecting property name enclosed in double quotes (byte 10 of the line).");
    }

    [Fact]
    public void Read_InvalidUtf8_NamesLineAndByte()
    {
        var bytes = Encoding.UTF8.GetBytes(Header + "\n{\"k\": \"x\"}\n").ToList();
        bytes.Insert(Header.Length + 1 + 8, 0xFF);
        var error = Should.Throw<QuiltException>(() => ManifestReader.Read(bytes.ToArray()));
        error.Kind.ShouldBe(QuiltErrorKind.Integrity);
        error.Message.ShouldBe("Manifest line 2 is not valid UTF-8 (byte 9 of the line).");
    }

    [Fact]
    public void Read_ByteOrderMark_IsRejected()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Header + "\n")).ToArray();
        Should.Throw<QuiltException>(() => ManifestReader.Read(bytes)).Message.ShouldStartWith("Manifest line 1 is not valid JSON");
    }

    [Fact]
    public void Read_Empty_IsRejected()
    {
        var error = Should.Throw<QuiltException>(() => ManifestReader.Read(ReadOnlySpan<byte>.Empty));
        error.Kind.ShouldBe(QuiltErrorKind.Integrity);
        error.Message.ShouldContain("no header");
    }

    [Fact]
    public void Read_HeaderOnly_HasNoEntries()
    {
        var manifest = Read("{\"version\": \"v0\", \"message\": \"hi\", \"user_meta\": null}\n");
        manifest.Entries.ShouldBeEmpty();
        manifest.Message.ShouldBe("hi");
        manifest.UserMeta.ShouldBe(QuiltJsonNull.Instance);
    }

    [Fact]
    public void Read_ObsoleteTopHashHeaderMember_IsDropped()
    {
        var manifest = Read("{\"version\": \"v0\", \"top_hash\": {\"alg\": \"v0\", \"value\": \"x\"}, \"message\": null}\n");
        manifest.Header.Names.ShouldBe(["version", "message"]);
        manifest.ComputeTopHash().ShouldBe("2a5a67156ca9238c14d12042db51c5b52260fdd5511b61ea89b58929d6e1769b");
    }

    [Theory]
    [InlineData("null")]
    [InlineData("false")]
    [InlineData("0")]
    [InlineData("0.0")]
    [InlineData("\"\"")]
    [InlineData("[]")]
    [InlineData("{}")]
    public void Read_FalsyMeta_IsReadAsEmptyObject(string meta)
    {
        var line = FileA.Replace("\"meta\": {}", "\"meta\": " + meta, StringComparison.Ordinal);
        var manifest = Read(Header + "\n" + line + "\n");
        manifest.Entries[0].Meta.ShouldBeSameAs(QuiltJsonObject.Empty);
        manifest.Entries[0].UserMeta.ShouldBeNull();
        manifest.ComputeTopHash().ShouldBe(Read(Header + "\n" + FileA + "\n").ComputeTopHash());
        Encoding.UTF8.GetString(ManifestWriter.Write(manifest)).ShouldBe(Header + "\n" + FileA + "\n");
    }

    [Fact]
    public void Read_TruthyNonObjectMeta_IsKeptForHashingAndWriting()
    {
        var line = FileA.Replace("\"meta\": {}", "\"meta\": [1]", StringComparison.Ordinal);
        var manifest = Read(Header + "\n" + line + "\n");
        manifest.Entries[0].Meta.ShouldBe(QuiltJsonObject.Empty);
        Encoding.UTF8.GetString(ManifestWriter.Write(manifest)).ShouldBe(Header + "\n" + line + "\n");
        manifest.ComputeTopHash().ShouldBe(Sha256Hex(
            "{\"message\":null,\"version\":\"v0\"}{\"hash\":{\"type\":\"SHA256\",\"value\":\"aa\"},\"logical_key\":\"a\",\"meta\":[1],\"size\":1}"));
    }

    [Theory]
    [InlineData("\"size\": 1, ", "size")]
    [InlineData("\"hash\": {\"type\": \"SHA256\", \"value\": \"aa\"}, ", "hash")]
    [InlineData(", \"meta\": {}", "meta")]
    public void Read_FileLineMissingMember_IsRejected(string removed, string member)
    {
        _ = member;
        var line = FileA.Replace(removed, "", StringComparison.Ordinal);
        line.ShouldNotBe(FileA);
        var error = Should.Throw<QuiltException>(() => Read(Header + "\n" + line + "\n"));
        error.Kind.ShouldBe(QuiltErrorKind.Integrity);
        error.Message.ShouldBe("Manifest line 2 ('a') lacks one of the members 'size', 'hash', 'meta'.");
    }

    [Theory]
    [InlineData("{\"physical_keys\": [\"s3://b/a\"], \"size\": 1, \"hash\": null, \"meta\": {}}")]
    [InlineData("{\"logical_key\": 5, \"physical_keys\": [\"s3://b/a\"], \"size\": 1, \"hash\": null, \"meta\": {}}")]
    [InlineData("{\"logical_key\": null, \"meta\": {}}")]
    public void Read_LineWithoutStringLogicalKey_IsRejected(string line) =>
        Should.Throw<QuiltException>(() => Read(Header + "\n" + line + "\n")).Message.ShouldBe("Manifest line 2 has no string 'logical_key'.");

    [Theory]
    [InlineData("\"s3://b/a\"")]
    [InlineData("[1]")]
    [InlineData("{\"a\": 1}")]
    [InlineData("7")]
    public void Read_PhysicalKeysNotAListOfStrings_IsRejected(string physicalKeys)
    {
        var line = FileA.Replace("[\"s3://b/a\"]", physicalKeys, StringComparison.Ordinal);
        Should.Throw<QuiltException>(() => Read(Header + "\n" + line + "\n")).Message.ShouldContain("'physical_keys' is not a list of URL strings");
    }

    [Fact]
    public void Read_SeveralPhysicalKeys_UsesTheFirstAndWritesOne()
    {
        var line = FileA.Replace("[\"s3://b/a\"]", "[\"s3://b/a\", \"s3://b/other\"]", StringComparison.Ordinal);
        var manifest = Read(Header + "\n" + line + "\n");
        manifest.Entries[0].PhysicalKey.ShouldBe("s3://b/a");
        Encoding.UTF8.GetString(ManifestWriter.Write(manifest)).ShouldBe(Header + "\n" + FileA + "\n");
    }

    [Theory]
    [InlineData("{\"logical_key\": \"d/\", \"meta\": {\"k\": \"v\"}}", "d/")]
    [InlineData("{\"logical_key\": \"d/\", \"physical_keys\": [], \"meta\": {\"k\": \"v\"}}", "d/")]
    [InlineData("{\"logical_key\": \"d/\", \"physical_keys\": null, \"meta\": {\"k\": \"v\"}}", "d/")]
    [InlineData("{\"logical_key\": \"d/x\", \"meta\": {\"k\": \"v\"}}", "d/")]
    [InlineData("{\"logical_key\": \"d/e/\", \"meta\": {\"k\": \"v\"}}", "d/e/")]
    public void Read_LineWithoutPhysicalKeys_IsDirectoryMetadata(string line, string directory)
    {
        var manifest = Read(Header + "\n" + line + "\n" + FileB + "\n");
        var entry = manifest.Directories.ShouldHaveSingleItem();
        entry.LogicalKey.ShouldBe(directory);
        entry.Meta.ShouldBe(Obj(("k", new QuiltJsonString("v"))));
        manifest.ComputeTopHash().ShouldBe(Read(Header + "\n" + FileB + "\n").ComputeTopHash());
    }

    [Fact]
    public void Read_DirectoryLineForSameDirectoryTwice_LastWins()
    {
        var manifest = Read(Header + "\n{\"logical_key\": \"d/\", \"meta\": 1}\n{\"logical_key\": \"d/x\", \"meta\": 2}\n");
        manifest.Directories.ShouldHaveSingleItem().Meta.ShouldBe(new QuiltJsonInteger(2));
    }

    [Fact]
    public void Read_TopLevelDirectoryLineWithoutSlash_OverwritesPackageMetadata()
    {
        // quilt3 quirk (quilt-format §2.4): "x" splits to ["x"], the parent is the root, so its meta becomes user_meta.
        var manifest = Read("{\"version\": \"v0\", \"user_meta\": {\"old\": 1}, \"message\": null}\n{\"logical_key\": \"x\", \"meta\": {\"new\": 2}}\n");
        manifest.Header.Names.ShouldBe(["version", "user_meta", "message"]);
        manifest.UserMeta.ShouldBe(Obj(("new", new QuiltJsonInteger(2))));
        manifest.Directories.ShouldBeEmpty();
        manifest.ComputeTopHash().ShouldBe(Read("{\"version\": \"v0\", \"user_meta\": {\"new\": 2}, \"message\": null}\n").ComputeTopHash());

        var appended = Read(Header + "\n{\"logical_key\": \"x\", \"meta\": null}\n");
        appended.Header.Names.ShouldBe(["version", "message", "user_meta"]);
        appended.UserMeta.ShouldBe(QuiltJsonNull.Instance);
    }

    [Fact]
    public void Read_DirectoryLineWithoutMeta_IsRejected() =>
        Should.Throw<QuiltException>(() => Read(Header + "\n{\"logical_key\": \"d/\"}\n")).Message.ShouldContain("directory line without 'meta'");

    [Fact]
    public void Read_DuplicateLogicalKey_IsRejectedWithLine()
    {
        var error = Should.Throw<QuiltException>(() => Read(Header + "\n" + FileA + "\n" + FileB + "\n" + FileA + "\n"));
        error.Kind.ShouldBe(QuiltErrorKind.Integrity);
        error.Message.ShouldBe("Duplicate logical key 'a' (manifest line 4).");
    }

    [Theory]
    [InlineData("{\"logical_key\": \"a/x\", \"physical_keys\": [\"s3://b/x\"], \"size\": 1, \"hash\": null, \"meta\": {}}", "a/x")]
    [InlineData("{\"logical_key\": \"a/\", \"meta\": {\"k\": 1}}", "a/")]
    [InlineData("{\"logical_key\": \"a/b/\", \"meta\": {\"k\": 1}}", "a/b/")]
    public void Read_KeyUsedAsFileAndDirectory_IsRejected(string line, string other)
    {
        var error = Should.Throw<QuiltException>(() => Read(Header + "\n" + line + "\n" + FileA + "\n"));
        error.Kind.ShouldBe(QuiltErrorKind.Integrity);
        error.Message.ShouldBe($"Manifest uses 'a' both as a file and as a directory (in '{other}').");
    }

    [Fact]
    public void Read_SizeAsFloatAndHashWithExtraMembers_AreKeptExactly()
    {
        const string line = "{\"logical_key\": \"f\", \"physical_keys\": [\"s3://b/f\"], \"size\": 5.0, \"hash\": {\"value\": \"v\", \"type\": \"SHA256\", \"x\": 1}, \"meta\": {}}";
        var manifest = Read(Header + "\n" + line + "\n");
        var entry = manifest.Entries[0];
        entry.Size.ShouldBe(5);
        entry.Hash.ShouldBe(new QuiltHash("SHA256", "v"));
        entry.HasSizeAndHash.ShouldBeTrue();
        Encoding.UTF8.GetString(ManifestWriter.Write(manifest)).ShouldBe(Header + "\n" + line + "\n");
    }

    [Theory]
    [InlineData("null", "{\"type\": \"SHA256\", \"value\": \"v\"}")]
    [InlineData("-1", "{\"type\": \"SHA256\", \"value\": \"v\"}")]
    [InlineData("1.5", "{\"type\": \"SHA256\", \"value\": \"v\"}")]
    [InlineData("\"7\"", "{\"type\": \"SHA256\", \"value\": \"v\"}")]
    [InlineData("99999999999999999999", "{\"type\": \"SHA256\", \"value\": \"v\"}")]
    [InlineData("1e+300", "{\"type\": \"SHA256\", \"value\": \"v\"}")]
    public void Read_UnusableSize_IsReadableButSizeThrows(string size, string hash)
    {
        var line = $"{{\"logical_key\": \"f\", \"physical_keys\": [\"s3://b/f\"], \"size\": {size}, \"hash\": {hash}, \"meta\": {{}}}}";
        var manifest = Read(Header + "\n" + line + "\n");
        var entry = manifest.Entries[0];
        entry.HasSizeAndHash.ShouldBeFalse();
        Should.Throw<QuiltException>(() => entry.Size).Kind.ShouldBe(QuiltErrorKind.Integrity);
        entry.Hash.Value.ShouldBe("v");
        Encoding.UTF8.GetString(ManifestWriter.Write(manifest)).ShouldBe(Header + "\n" + line + "\n");
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"abc\"")]
    [InlineData("{\"type\": \"SHA256\"}")]
    [InlineData("{\"type\": 1, \"value\": \"v\"}")]
    public void Read_UnusableHash_IsReadableButHashThrows(string hash)
    {
        var line = $"{{\"logical_key\": \"f\", \"physical_keys\": [\"s3://b/f\"], \"size\": 1, \"hash\": {hash}, \"meta\": {{}}}}";
        var manifest = Read(Header + "\n" + line + "\n");
        var error = Should.Throw<QuiltException>(() => manifest.Entries[0].Hash);
        error.Kind.ShouldBe(QuiltErrorKind.Integrity);
        error.Message.ShouldContain("'f' has no usable hash");
        Encoding.UTF8.GetString(ManifestWriter.Write(manifest)).ShouldBe(Header + "\n" + line + "\n");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(100_000)]
    public async Task Read_FromStreamInSmallPieces_MatchesReadFromBytes(int chunk)
    {
        var text = Header + "\r\n" + FileA + "\r" + FileB.Replace("\"k\": 1", "\"k\": \"" + new string('z', 200_000) + "\u2028\"", StringComparison.Ordinal) + "\r\n";
        var bytes = Encoding.UTF8.GetBytes(text);
        var expected = ManifestWriter.Write(ManifestReader.Read(bytes));
        using (var stream = new TrickleStream(bytes, chunk))
        {
            ManifestWriter.Write(ManifestReader.Read(stream)).ShouldBe(expected);
        }

        using (var stream = new TrickleStream(bytes, chunk))
        {
            ManifestWriter.Write(await ManifestReader.ReadAsync(stream, TestContext.Current.CancellationToken)).ShouldBe(expected);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(100_000)]
    public async Task Read_FromStreamWithoutFinalNewline_KeepsLastLine(int chunk)
    {
        var bytes = Encoding.UTF8.GetBytes(Header + "\n" + FileA);
        using (var stream = new TrickleStream(bytes, chunk))
        {
            ManifestReader.Read(stream).Entries.ShouldHaveSingleItem().LogicalKey.ShouldBe("a");
        }

        using (var stream = new TrickleStream(bytes, chunk))
        {
            (await ManifestReader.ReadAsync(stream, TestContext.Current.CancellationToken)).Entries.Count.ShouldBe(1);
        }

        using (var stream = new TrickleStream(Encoding.UTF8.GetBytes(Header + "\n" + FileA + "\r"), chunk))
        {
            ManifestReader.Read(stream).Entries.Count.ShouldBe(1);
        }
    }

    [Fact]
    public async Task ReadAsync_BlankLineAcrossReads_IsRejected()
    {
        var bytes = Encoding.UTF8.GetBytes(Header + "\r\n\r\n" + FileA + "\n");
        using var stream = new TrickleStream(bytes, 1);
        var error = await Should.ThrowAsync<QuiltException>(() => ManifestReader.ReadAsync(stream, TestContext.Current.CancellationToken));
        error.Message.ShouldBe("Manifest line 2 is blank.");
    }

    [Fact]
    public async Task ReadAsync_Cancelled_Throws()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Header + "\n"));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => ManifestReader.ReadAsync(stream, cts.Token));
    }

    [Fact]
    public async Task Read_NullStream_Throws()
    {
        Should.Throw<ArgumentNullException>(() => ManifestReader.Read((Stream)null!));
        await Should.ThrowAsync<ArgumentNullException>(() => ManifestReader.ReadAsync(null!, TestContext.Current.CancellationToken));
    }

    private static string JsonEscapedForManifest(string text) => JsonText.Serialize(new QuiltJsonString(text))[1..^1];
}
