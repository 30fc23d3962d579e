using System.Text;
using Quilt.Core.Errors;
using Quilt.Core.Json;
using Quilt.Core.Manifests;
using static Quilt.Core.Tests.Manifests.ManifestTestKit;

namespace Quilt.Core.Tests.Manifests;

public sealed class ManifestWriterTests
{
    private static readonly string HashJson = "{\"type\": \"sha2-256-chunked\", \"value\": \"" + SampleHash.Value + "\"}";

    [Fact]
    public void Write_OrdersHeaderDirectoriesPreOrderThenFilesInWalkOrder()
    {
        var header = Manifest.CreateHeader(Obj(("title", new QuiltJsonString("t"))), Obj(("id", QuiltJsonNull.Instance)), "msg");
        var meta = Obj(("k", new QuiltJsonInteger(1)));
        var manifest = Manifest.Create(
            header,
            [Entry("é"), Entry("b/z"), Entry("a-b/g"), Entry("a/y"), Entry("a/x/f", 5, Obj(("user_meta", meta)))],
            [new("b/", meta), new("a-b/", meta), new("a/x/", meta), new("c/", QuiltJsonObject.Empty), new("a/", meta)]);

        var expected =
            "{\"version\": \"v0\", \"user_meta\": {\"title\": \"t\"}, \"workflow\": {\"id\": null}, \"message\": \"msg\"}\n" +
            "{\"logical_key\": \"a/\", \"meta\": {\"k\": 1}}\n" +
            "{\"logical_key\": \"a/x/\", \"meta\": {\"k\": 1}}\n" +
            "{\"logical_key\": \"a-b/\", \"meta\": {\"k\": 1}}\n" +
            "{\"logical_key\": \"b/\", \"meta\": {\"k\": 1}}\n" +
            "{\"logical_key\": \"a/x/f\", \"physical_keys\": [\"s3://bucket/a/x/f\"], \"size\": 5, \"hash\": " + HashJson + ", \"meta\": {\"user_meta\": {\"k\": 1}}}\n" +
            "{\"logical_key\": \"a/y\", \"physical_keys\": [\"s3://bucket/a/y\"], \"size\": 1, \"hash\": " + HashJson + ", \"meta\": {}}\n" +
            "{\"logical_key\": \"a-b/g\", \"physical_keys\": [\"s3://bucket/a-b/g\"], \"size\": 1, \"hash\": " + HashJson + ", \"meta\": {}}\n" +
            "{\"logical_key\": \"b/z\", \"physical_keys\": [\"s3://bucket/b/z\"], \"size\": 1, \"hash\": " + HashJson + ", \"meta\": {}}\n" +
            "{\"logical_key\": \"é\", \"physical_keys\": [\"s3://bucket/é\"], \"size\": 1, \"hash\": " + HashJson + ", \"meta\": {}}\n";
        Encoding.UTF8.GetString(ManifestWriter.Write(manifest)).ShouldBe(expected);
    }

    [Fact]
    public void Write_EscapesLikePythonWithRawUtf8()
    {
        var key = "q\"b\\s/t\tn\nc\u0001d\u007f\u2028😀";
        var manifest = Manifest.Create(Manifest.CreateHeader(null, null, "ü"), [Entry(key)]);
        var text = Encoding.UTF8.GetString(ManifestWriter.Write(manifest));
        text.ShouldStartWith("{\"version\": \"v0\", \"message\": \"ü\"}\n{\"logical_key\": \"q\\\"b\\\\s/t\\tn\\nc\\u0001d\u007f\u2028😀\", ");
        text.Split('\n').Length.ShouldBe(3);
    }

    [Fact]
    public void Write_NaNInMetadata_IsRefused()
    {
        var manifest = Manifest.Create(Manifest.CreateHeader(null, null, null), [Entry("f", 1, Obj(("user_meta", Obj(("x", new QuiltJsonFloat(double.NaN))))))]);
        var error = Should.Throw<QuiltException>(() => ManifestWriter.Write(manifest));
        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldStartWith("Out of range float values are not JSON compliant");
        manifest.ComputeTopHash().Length.ShouldBe(64); // hashing NaN is fine, as in quilt3
    }

    [Fact]
    public void Write_LoneSurrogateKey_IsRefused()
    {
        var manifest = Manifest.Create(Manifest.CreateHeader(null, null, null), [Entry("bad\ud800")]);
        Should.Throw<QuiltException>(() => ManifestWriter.Write(manifest)).Message.ShouldContain("lone UTF-16 surrogate");
    }

    [Fact]
    public void Write_LineOverTheLimit_IsRefusedNamingTheKey()
    {
        var big = Obj(("user_meta", Obj(("blob", new QuiltJsonString(new string('x', 1_000_000))))));
        var manifest = Manifest.Create(Manifest.CreateHeader(null, null, null), [Entry("small"), Entry("data/big.bin", 1, big)]);
        var error = Should.Throw<QuiltException>(() => ManifestWriter.Write(manifest));
        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldContain("entry 'data/big.bin'");
        error.Message.ShouldContain("1,000,000");

        ManifestWriter.Write(manifest, maxRecordSize: 2_000_000).Length.ShouldBeGreaterThan(1_000_000);
    }

    [Fact]
    public void Write_LimitIsInclusiveAndCountsUtf8BytesWithoutNewline()
    {
        var manifest = Manifest.Create(Manifest.CreateHeader(null, null, "é"), []);
        var line = Encoding.UTF8.GetBytes("{\"version\": \"v0\", \"message\": \"é\"}");
        ManifestWriter.Write(manifest, line.Length).ShouldBe([.. line, (byte)'\n']);
        Should.Throw<QuiltException>(() => ManifestWriter.Write(manifest, line.Length - 1)).Message.ShouldContain("for the header");
    }

    [Fact]
    public void Write_DirectoryLineOverTheLimit_IsRefusedNamingTheDirectory()
    {
        var manifest = Manifest.Create(Manifest.CreateHeader(null, null, null), [Entry("d/f")], [new("d/", new QuiltJsonString(new string('x', 100)))]);
        Should.Throw<QuiltException>(() => ManifestWriter.Write(manifest, 90)).Message.ShouldContain("directory 'd/'");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Write_NonPositiveLimit_IsRefused(int limit)
    {
        var manifest = Manifest.Create(Manifest.CreateHeader(null, null, null), []);
        Should.Throw<QuiltException>(() => ManifestWriter.Write(manifest, limit)).Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        Should.Throw<QuiltException>(() => ManifestWriter.Write(manifest, Stream.Null, limit)).Kind.ShouldBe(QuiltErrorKind.InvalidInput);
    }

    [Fact]
    public async Task Write_ToStream_MatchesByteArray()
    {
        var entries = Enumerable.Range(0, 3000).Select(i => Entry($"dir{i % 7}/f{i}", i, Obj(("user_meta", Obj(("i", new QuiltJsonInteger(i)))))));
        var manifest = Manifest.Create(Manifest.CreateHeader(QuiltJsonNull.Instance, null, "m"), entries, [new("dir3/", QuiltJsonBool.True)]);
        var bytes = ManifestWriter.Write(manifest);
        bytes.Length.ShouldBeGreaterThan(200_000);

        using var sync = new MemoryStream();
        ManifestWriter.Write(manifest, sync);
        sync.ToArray().ShouldBe(bytes);

        using var asynchronous = new MemoryStream();
        await ManifestWriter.WriteAsync(manifest, asynchronous, cancellationToken: TestContext.Current.CancellationToken);
        asynchronous.ToArray().ShouldBe(bytes);
    }

    [Fact]
    public async Task WriteAsync_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        using var stream = new MemoryStream();
        await Should.ThrowAsync<OperationCanceledException>(() =>
            ManifestWriter.WriteAsync(Manifest.Create(Manifest.CreateHeader(null, null, null), []), stream, cancellationToken: cts.Token));
    }

    [Fact]
    public async Task Write_NullArguments_Throw()
    {
        Should.Throw<ArgumentNullException>(() => ManifestWriter.Write(null!));
        Should.Throw<ArgumentNullException>(() => ManifestWriter.Write(Manifest.Create(Manifest.CreateHeader(null, null, null), []), null!));
        await Should.ThrowAsync<ArgumentNullException>(() => ManifestWriter.WriteAsync(null!, Stream.Null, cancellationToken: TestContext.Current.CancellationToken));
    }
}
