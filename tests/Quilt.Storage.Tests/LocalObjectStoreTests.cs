using System.Text;
using Quilt.Core.Errors;
using Quilt.Core.Hashing;
using Quilt.Storage.Tests.Fakes;
using static Quilt.Storage.Tests.Fakes.TestData;

namespace Quilt.Storage.Tests;

public sealed class LocalObjectStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly LocalObjectStore _store = new();

    public void Dispose() => _folder.Dispose();

    private ObjectLocation At(string key) => new(_folder.Path, key);

    [Fact]
    public async Task ListAsync_NestedFolders_YieldsRecursiveOrdinalOrderIncludingDotFolders()
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var key in new[] { "b.txt", "a/z.csv", "a/B/x.bin", ".quilt/named_packages/u/p/latest", "ä.txt", "a b/c" })
        {
            _folder.Write(key, Encoding.UTF8.GetBytes(key));
        }

        var all = await _store.ListAsync(_folder.Path, string.Empty, cancellationToken: ct).ToListAsync(ct);
        var underA = await _store.ListAsync(_folder.Path, "a/", cancellationToken: ct).Select(o => o.Key).ToListAsync(ct);
        var partial = await _store.ListAsync(_folder.Path, "a", cancellationToken: ct).Select(o => o.Key).ToListAsync(ct);
        var deep = await _store.ListAsync(_folder.Path, ".quilt/named_packages/u/", cancellationToken: ct).Select(o => o.Key).ToListAsync(ct);
        var none = await _store.ListAsync(_folder.Path, "missing/folder/", cancellationToken: ct).ToListAsync(ct);

        all.Select(o => o.Key).ShouldBe([".quilt/named_packages/u/p/latest", "a b/c", "a/B/x.bin", "a/z.csv", "b.txt", "ä.txt"]);
        all.ShouldAllBe(o => o.ETag == null && o.VersionId == null && !o.IsFolderMarker && o.LastModified != null);
        all.Single(o => o.Key == "b.txt").Size.ShouldBe(5);
        underA.ShouldBe(["a/B/x.bin", "a/z.csv"]);
        partial.ShouldBe(["a b/c", "a/B/x.bin", "a/z.csv"]);
        deep.ShouldBe([".quilt/named_packages/u/p/latest"]);
        none.ShouldBeEmpty();
        _store.Requests.Count("ListObjectsV2").ShouldBe(5);
    }

    [Fact]
    public async Task ListAsync_MissingFolderOrRelativePath_Throws()
    {
        var ct = TestContext.Current.CancellationToken;
        var missing = await Should.ThrowAsync<QuiltException>(async () => await _store.ListAsync(Path.Combine(_folder.Path, "nope"), "", cancellationToken: ct).ToListAsync(ct));
        var relative = Should.Throw<QuiltException>(() => _store.ListAsync("relative/path", ""));

        missing.Kind.ShouldBe(QuiltErrorKind.NotFound);
        relative.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
    }

    [Fact]
    public async Task ListPageAsync_DelimiterAndPaging_WalksPrefixesAndObjects()
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var key in new[] { "r/a", "r/b", "r/c", "r/s1/x", "r/s2/y", "r/s2/z" })
        {
            _folder.Write(key, [1]);
        }

        var first = await _store.ListPageAsync(_folder.Path, "r/", "/", 2, null, ct);
        var second = await _store.ListPageAsync(_folder.Path, "r/", "/", 2, first.NextContinuationToken, ct);
        var third = await _store.ListPageAsync(_folder.Path, "r/", "/", 2, second.NextContinuationToken, ct);
        var flat = await _store.ListPageAsync(_folder.Path, "r/", null, 1000, null, ct);

        first.Objects.Select(o => o.Key).ShouldBe(["r/a", "r/b"]);
        second.Objects.Select(o => o.Key).ShouldBe(["r/c"]);
        second.CommonPrefixes.ShouldBe(["r/s1/"]);
        third.CommonPrefixes.ShouldBe(["r/s2/"]);
        third.NextContinuationToken.ShouldBeNull();
        flat.Objects.Count.ShouldBe(6);
        flat.CommonPrefixes.ShouldBeEmpty();
        (await Should.ThrowAsync<QuiltException>(() => _store.ListPageAsync(_folder.Path, "", null, 0, null, ct))).Kind.ShouldBe(QuiltErrorKind.InvalidInput);
    }

    [Fact]
    public async Task HeadAsync_File_ReportsSizeTimeAndGuessedContentType()
    {
        var ct = TestContext.Current.CancellationToken;
        _folder.Write("data/table.CSV", new byte[12]);
        _folder.Write("data/blob", new byte[3]);

        var csv = await _store.HeadAsync(At("data/table.CSV"), ct);
        var blob = await _store.HeadAsync(At("data/blob"), ct);

        csv.Size.ShouldBe(12);
        csv.ContentType.ShouldBe("text/csv");
        csv.ETag.ShouldStartWith("\"c-"); // a stand-in ETag: size (hex) and modification time
        csv.UserMetadata.ShouldBeEmpty();
        csv.Checksums.ShouldBe(ObjectChecksums.None);
        csv.LastModified.ShouldNotBeNull();
        blob.ContentType.ShouldBeNull();
        (await Should.ThrowAsync<QuiltException>(() => _store.HeadAsync(At("data/none"), ct))).Kind.ShouldBe(QuiltErrorKind.NotFound);
        (await Should.ThrowAsync<QuiltException>(() => _store.HeadAsync(At("data"), ct))).Kind.ShouldBe(QuiltErrorKind.NotFound);
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("a/../../escape.txt")]
    [InlineData("a/./b")]
    [InlineData("/absolute")]
    [InlineData("a//b")]
    [InlineData("trailing/")]
    [InlineData("")]
    [InlineData("nul\0byte")]
    public async Task Operations_KeysLeavingTheFolderOrMalformed_AreRejected(string key)
    {
        var ct = TestContext.Current.CancellationToken;

        (await Should.ThrowAsync<QuiltException>(() => _store.PutAsync(At(key), new byte[1], cancellationToken: ct))).Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        (await Should.ThrowAsync<QuiltException>(() => _store.TryReadAllBytesAsync(At(key), ct))).Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        Should.Throw<QuiltException>(() => _store.ToPhysicalKey(At(key))).Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        File.Exists(Path.Combine(Path.GetDirectoryName(_folder.Path)!, "escape.txt")).ShouldBeFalse();
    }

    [Fact]
    public async Task PutAsync_NewAndExisting_WritesAtomicallyAndLeavesNoTemporaryFiles()
    {
        var ct = TestContext.Current.CancellationToken;

        var written = await _store.PutAsync(At("deep/new/file.json"), "{}"u8.ToArray(), "application/json", ct);
        await _store.PutAsync(At("deep/new/file.json"), "{\"a\":1}"u8.ToArray(), cancellationToken: ct);

        written.ShouldBe(At("deep/new/file.json"));
        (await _store.TryReadAllBytesAsync(At("deep/new/file.json"), ct)).ShouldBe("{\"a\":1}"u8.ToArray());
        Directory.GetFiles(_folder.Path, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ShouldBe(["file.json"]);
        (await _store.TryReadAllBytesAsync(At("deep/missing"), ct)).ShouldBeNull();
        (await _store.TryReadAllBytesAsync(At("deep"), ct)).ShouldBeNull();
    }

    [Fact]
    public async Task PutAsync_Cancelled_LeavesNothingBehind()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => _store.PutAsync(At("x/y.bin"), new byte[10], cancellationToken: cancelled.Token));

        Directory.GetFiles(_folder.Path, "*", SearchOption.AllDirectories).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(8 * MiB)]
    [InlineData((8 * MiB) + 1)]
    public async Task HashAsync_File_EqualsHashOfBytesViaLocalRead(int size)
    {
        var data = Bytes(size, 21);
        _folder.Write("h.bin", data);

        var result = await _store.HashAsync(At("h.bin"), new HashingOptions(), TestContext.Current.CancellationToken);

        result.Step.ShouldBe(HashStep.LocalRead);
        result.Hash.ShouldBe(ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, data));
        result.Metadata.Size.ShouldBe(size);
        _store.Requests.Snapshot().ShouldBe(new Dictionary<string, long> { ["GetObject"] = 1 });
    }

    [Fact]
    public async Task HashAsync_EighteenMiBVector_MatchesQuilt()
    {
        _folder.Write("v.bin", Repeat("1234567890abcdefgh", 1_048_576));

        var result = await new LocalObjectStore { HashParallelism = 3 }.HashAsync(At("v.bin"), new HashingOptions(), TestContext.Current.CancellationToken);

        result.Hash.Value.ShouldBe("T+rt/HKRJOiAkEGXKvc+DhCwRcrZiDrFkjKonDT1zgs=");
    }

    [Fact]
    public async Task HashAsync_MissingFile_ThrowsNotFound()
    {
        var error = await Should.ThrowAsync<QuiltException>(() => _store.HashAsync(At("none"), new HashingOptions(), TestContext.Current.CancellationToken));
        error.Kind.ShouldBe(QuiltErrorKind.NotFound);
        error.Hint.ShouldNotBeNull();
    }

    [Fact]
    public async Task CopyAsync_File_CopiesAndYieldsHash()
    {
        var ct = TestContext.Current.CancellationToken;
        var data = Bytes((9 * MiB) + 3, 4);
        _folder.Write("src/a.bin", data);

        var result = await _store.CopyAsync(At("src/a.bin"), At("dst/ns/pkg/a.bin"), new CopyOptions(), ct);

        result.Destination.ShouldBe(At("dst/ns/pkg/a.bin"));
        result.Size.ShouldBe(data.Length);
        result.Hash.ShouldBe(ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, data));
        (await File.ReadAllBytesAsync(Path.Combine(_folder.Path, "dst", "ns", "pkg", "a.bin"), ct)).ShouldBe(data);
        (await Should.ThrowAsync<QuiltException>(() => _store.CopyAsync(At("src/none"), At("dst/x"), new CopyOptions(), ct))).Kind.ShouldBe(QuiltErrorKind.NotFound);
    }

    [Theory]
    [InlineData(0L, null, 0, 50)]
    [InlineData(10L, 5L, 10, 5)]
    [InlineData(45L, 100L, 45, 5)]
    [InlineData(60L, null, 0, 0)]
    public async Task OpenReadAsync_Range_ReadsThoseBytes(long offset, long? length, int start, int count)
    {
        var ct = TestContext.Current.CancellationToken;
        var data = Bytes(50, 2);
        _folder.Write("r.bin", data);

        await using var stream = await _store.OpenReadAsync(At("r.bin"), offset, length, ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, ct);

        copy.ToArray().ShouldBe(data.AsSpan(start, count).ToArray());
        stream.CanRead.ShouldBeTrue();
        stream.CanSeek.ShouldBeFalse();
        stream.CanWrite.ShouldBeFalse();
    }

    [Fact]
    public async Task OpenReadAsync_MissingOrNegative_Throws()
    {
        var ct = TestContext.Current.CancellationToken;
        (await Should.ThrowAsync<QuiltException>(() => _store.OpenReadAsync(At("none"), cancellationToken: ct))).Kind.ShouldBe(QuiltErrorKind.NotFound);
        (await Should.ThrowAsync<QuiltException>(() => _store.OpenReadAsync(At("none"), -1, cancellationToken: ct))).Kind.ShouldBe(QuiltErrorKind.InvalidInput);
    }

    [Fact]
    public async Task DeleteAsync_FilesAndMissingOnes_DeletesAndPrunesEmptyFolders()
    {
        var ct = TestContext.Current.CancellationToken;
        _folder.Write("p/q/one", [1]);
        _folder.Write("p/two", [2]);

        var failures = await _store.DeleteAsync([At("p/q/one"), At("p/missing"), At("../outside")], ct);

        failures.Select(f => f.Location.Key).ShouldBe(["../outside"]);
        File.Exists(Path.Combine(_folder.Path, "p", "two")).ShouldBeTrue();
        Directory.Exists(Path.Combine(_folder.Path, "p", "q")).ShouldBeFalse();
        Directory.Exists(_folder.Path).ShouldBeTrue();
    }

    [Fact]
    public async Task GetBucketInfoAsync_ExistingAndMissingFolders()
    {
        var ct = TestContext.Current.CancellationToken;
        (await _store.GetBucketInfoAsync(_folder.Path, ct)).ShouldBe(new BucketInfo(_folder.Path, true, false));
        (await _store.GetBucketInfoAsync(_folder.Path + "/", ct)).Exists.ShouldBeTrue();
        (await _store.GetBucketInfoAsync(Path.Combine(_folder.Path, "nope"), ct)).Exists.ShouldBeFalse();
        (await Should.ThrowAsync<QuiltException>(() => _store.GetBucketInfoAsync("relative", ct))).Kind.ShouldBe(QuiltErrorKind.InvalidInput);
    }

    [Fact]
    public void ToPhysicalKey_ThroughSymlinkedFolder_IsTheEncodedRealPath()
    {
        _folder.Write("real dir/data ü#1.txt", [1]);
        Directory.CreateSymbolicLink(Path.Combine(_folder.Path, "link"), Path.Combine(_folder.Path, "real dir"));

        var viaLink = _store.ToPhysicalKey(At("link/data ü#1.txt"));
        var direct = _store.ToPhysicalKey(At("real dir/data ü#1.txt"));

        viaLink.ShouldBe(direct);
        direct.ShouldStartWith("file:///");
        direct.ShouldEndWith("/real%20dir/data%20%C3%BC%231.txt");
        _store.ToPhysicalKey(At("not/yet/written.txt")).ShouldEndWith("/not/yet/written.txt");
    }

    [Fact]
    public void ToPhysicalKey_SymlinkLoop_ThrowsInvalidInput()
    {
        File.CreateSymbolicLink(Path.Combine(_folder.Path, "loop-a"), Path.Combine(_folder.Path, "loop-b"));
        File.CreateSymbolicLink(Path.Combine(_folder.Path, "loop-b"), Path.Combine(_folder.Path, "loop-a"));

        var error = Should.Throw<QuiltException>(() => _store.ToPhysicalKey(At("loop-a/file")));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Hint.ShouldNotBeNull();
    }

    [Fact]
    public async Task PutAsync_FileWhereAFolderIsNeeded_ThrowsWithHint()
    {
        _folder.Write("blocker", [1]);

        var error = await Should.ThrowAsync<QuiltException>(() => _store.PutAsync(At("blocker/inside.txt"), new byte[1], cancellationToken: TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.Transient);
        error.Message.ShouldContain("blocker/inside.txt");
        error.Hint!.ShouldContain("folder");
    }

    [Fact]
    public void Presign_Always_IsUnsupported()
    {
        var error = Should.Throw<QuiltException>(() => _store.Presign(At("a"), false, TimeSpan.FromMinutes(1)));
        error.Kind.ShouldBe(QuiltErrorKind.Unsupported);
        _store.Scheme.ShouldBe("file");
    }
}
