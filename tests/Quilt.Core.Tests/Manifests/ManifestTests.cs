using Quilt.Core.Errors;
using Quilt.Core.Json;
using Quilt.Core.Manifests;
using static Quilt.Core.Tests.Manifests.ManifestTestKit;

namespace Quilt.Core.Tests.Manifests;

public sealed class ManifestTests
{
    [Fact]
    public void CreateHeader_AllParts_InQuilt3Order()
    {
        var header = Manifest.CreateHeader(Obj(("a", new QuiltJsonInteger(1))), Obj(("id", new QuiltJsonString("w"))), "m");
        header.Names.ShouldBe(["version", "user_meta", "workflow", "message"]);
        header["version"].ShouldBe(new QuiltJsonString("v0"));
        JsonText.Serialize(header).ShouldBe("{\"version\": \"v0\", \"user_meta\": {\"a\": 1}, \"workflow\": {\"id\": \"w\"}, \"message\": \"m\"}");
    }

    [Fact]
    public void CreateHeader_NothingSet_HasVersionAndNullMessage() =>
        JsonText.Serialize(Manifest.CreateHeader(null, null, null)).ShouldBe("{\"version\": \"v0\", \"message\": null}");

    [Fact]
    public void CreateHeader_JsonNullUserMeta_WritesNull() =>
        JsonText.Serialize(Manifest.CreateHeader(QuiltJsonNull.Instance, null, "")).ShouldBe("{\"version\": \"v0\", \"user_meta\": null, \"message\": \"\"}");

    [Fact]
    public void Message_AbsentNullStringOrOther()
    {
        Manifest.Create(Obj(("version", new QuiltJsonString("v0"))), []).Message.ShouldBeNull();
        Manifest.Create(Manifest.CreateHeader(null, null, null), []).Message.ShouldBeNull();
        Manifest.Create(Manifest.CreateHeader(null, null, ""), []).Message.ShouldBe("");
        Manifest.Create(Manifest.CreateHeader(null, null, "hello"), []).Message.ShouldBe("hello");
        Manifest.Create(Obj(("message", new QuiltJsonInteger(3))), []).Message.ShouldBeNull();
    }

    [Fact]
    public void UserMeta_AbsentOrNullOrValue()
    {
        Manifest.Create(Manifest.CreateHeader(null, null, null), []).UserMeta.ShouldBeNull();
        Manifest.Create(Manifest.CreateHeader(QuiltJsonNull.Instance, null, null), []).UserMeta.ShouldBe(QuiltJsonNull.Instance);
        Manifest.Create(Manifest.CreateHeader(new QuiltJsonInteger(7), null, null), []).UserMeta.ShouldBe(new QuiltJsonInteger(7));
    }

    [Fact]
    public void Create_SortsEntriesAndDirectories()
    {
        var manifest = Manifest.Create(
            Manifest.CreateHeader(null, null, null),
            [Entry("b"), Entry("a-c"), Entry("a/b"), Entry("A")],
            [new("a/x/", QuiltJsonBool.True), new("a/", QuiltJsonBool.True), new("a-c-dir/", QuiltJsonBool.True)]);
        manifest.Entries.Select(e => e.LogicalKey).ShouldBe(["A", "a/b", "a-c", "b"]);
        manifest.Directories.Select(d => d.LogicalKey).ShouldBe(["a/", "a/x/", "a-c-dir/"]);
    }

    [Fact]
    public void Create_DropsObsoleteTopHash()
    {
        var header = Manifest.CreateHeader(null, null, null).With("top_hash", Obj(("alg", new QuiltJsonString("v0"))));
        Manifest.Create(header, []).Header.Names.ShouldBe(["version", "message"]);
    }

    [Fact]
    public void Create_DuplicateLogicalKeys_Rejected()
    {
        var error = Should.Throw<QuiltException>(() => Manifest.Create(Manifest.CreateHeader(null, null, null), [Entry("x/a"), Entry("b"), Entry("x/a")]));
        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldBe("Duplicate logical key 'x/a'.");
        error.Hint.ShouldNotBeNullOrEmpty();
    }

    [Theory]
    [InlineData("a", "a/b")]
    [InlineData("a/b/c", "a/b")]
    [InlineData("a/", "a")]
    public void Create_KeyThatIsFileAndDirectory_Rejected(string first, string second)
    {
        var error = Should.Throw<QuiltException>(() => Manifest.Create(Manifest.CreateHeader(null, null, null), [Entry(first), Entry(second)]));
        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldContain($"'{(first.Length < second.Length ? first : second)}' is a file");
        error.Message.ShouldContain($"'{(first.Length < second.Length ? second : first)}' uses it as a directory");
    }

    [Theory]
    [InlineData("a/")]
    [InlineData("a/b/")]
    public void Create_DirectoryMetadataOnAFile_Rejected(string directory)
    {
        var error = Should.Throw<QuiltException>(() =>
            Manifest.Create(Manifest.CreateHeader(null, null, null), [Entry("a")], [new(directory, QuiltJsonBool.True)]));
        error.Message.ShouldBe($"Logical key 'a' is a file but '{directory}' uses it as a directory.");
    }

    [Fact]
    public void Create_DirectoryKeyWithoutSlashOrTwice_Rejected()
    {
        Should.Throw<QuiltException>(() => Manifest.Create(Manifest.CreateHeader(null, null, null), [], [new("d", QuiltJsonBool.True)]))
            .Message.ShouldContain("does not end with '/'");
        Should.Throw<QuiltException>(() => Manifest.Create(Manifest.CreateHeader(null, null, null), [], [new("d/", QuiltJsonBool.True), new("d/", QuiltJsonBool.False)]))
            .Message.ShouldContain("given twice");
    }

    [Fact]
    public void Create_NullArguments_Throw()
    {
        Should.Throw<ArgumentNullException>(() => Manifest.Create(null!, []));
        Should.Throw<ArgumentNullException>(() => Manifest.Create(QuiltJsonObject.Empty, null!));
        Should.Throw<ArgumentNullException>(() => Manifest.Create(QuiltJsonObject.Empty, [null!]));
        Should.Throw<ArgumentNullException>(() => Manifest.Create(QuiltJsonObject.Empty, [], [null!]));
    }
}
