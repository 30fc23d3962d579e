using Quilt.Core.Errors;
using Quilt.Core.Hashing;
using Quilt.Core.Json;
using Quilt.Core.Manifests;
using static Quilt.Core.Tests.Manifests.ManifestTestKit;

namespace Quilt.Core.Tests.Manifests;

public sealed class ManifestEntryTests
{
    [Fact]
    public void Constructor_KeepsValues()
    {
        var meta = Obj(("user_meta", Obj(("a", QuiltJsonBool.True))), ("format", new QuiltJsonString("csv")));
        var entry = new ManifestEntry("d/f.csv", "s3://b/d/f.csv?versionId=1", long.MaxValue, SampleHash, meta);
        entry.LogicalKey.ShouldBe("d/f.csv");
        entry.PhysicalKey.ShouldBe("s3://b/d/f.csv?versionId=1");
        entry.Size.ShouldBe(long.MaxValue);
        entry.Hash.ShouldBe(SampleHash);
        entry.HasSizeAndHash.ShouldBeTrue();
        entry.Meta.ShouldBeSameAs(meta);
        entry.UserMeta.ShouldBe(Obj(("a", QuiltJsonBool.True)));
    }

    [Fact]
    public void Constructor_NoOrEmptyMeta_IsEmptyObjectWithoutUserMeta()
    {
        var entry = new ManifestEntry("f", "s3://b/f", 0, SampleHash);
        entry.Meta.ShouldBeSameAs(QuiltJsonObject.Empty);
        entry.UserMeta.ShouldBeNull();
        new ManifestEntry("f", "s3://b/f", 0, SampleHash, QuiltJsonObject.Empty).Meta.ShouldBeSameAs(QuiltJsonObject.Empty);
    }

    [Fact]
    public void UserMeta_JsonNull_IsReturnedAsJsonNull() =>
        new ManifestEntry("f", "s3://b/f", 0, SampleHash, Obj(("user_meta", QuiltJsonNull.Instance))).UserMeta.ShouldBe(QuiltJsonNull.Instance);

    [Fact]
    public void Constructor_NegativeSize_Rejected()
    {
        var error = Should.Throw<QuiltException>(() => new ManifestEntry("f", "s3://b/f", -1, SampleHash));
        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldContain("'f'");
    }

    [Fact]
    public void Constructor_NullArguments_Throw()
    {
        Should.Throw<ArgumentNullException>(() => new ManifestEntry(null!, "p", 0, SampleHash));
        Should.Throw<ArgumentNullException>(() => new ManifestEntry("f", null!, 0, SampleHash));
        Should.Throw<ArgumentNullException>(() => new ManifestEntry("f", "p", 0, null!));
        Should.Throw<ArgumentNullException>(() => new ManifestEntry("f", "p", 0, new QuiltHash(null!, "v")));
        Should.Throw<ArgumentNullException>(() => new ManifestEntry("f", "p", 0, new QuiltHash("t", null!)));
    }
}
