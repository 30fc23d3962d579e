using FsCheck;
using FsCheck.Fluent;
using Quilt.Core.Hashing;
using Quilt.Core.Json;
using Quilt.Core.Manifests;
using Quilt.Core.Tests.Json;

namespace Quilt.Core.Tests.Manifests;

public sealed class ManifestPropertyTests
{
    private static readonly string[] HashTypes = [QuiltHashTypes.Sha256Chunked, QuiltHashTypes.Sha256, QuiltHashTypes.Crc64Nvme, "future-type"];

    [Fact]
    public void WriteReadWrite_IsByteIdenticalAndKeepsTopHash_Property() =>
        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(300),
            Prop.ForAll(Manifests.ToArbitrary(), manifest =>
            {
                var first = ManifestWriter.Write(manifest);
                var reread = ManifestReader.Read(first);
                ManifestWriter.Write(reread).ShouldBe(first);

                var topHash = manifest.ComputeTopHash();
                reread.ComputeTopHash().ShouldBe(topHash);
                topHash.ShouldBe(ManifestTestKit.NaiveTopHash(manifest));
                reread.Entries.Select(e => e.LogicalKey).ShouldBe(manifest.Entries.Select(e => e.LogicalKey));
                reread.Header.ShouldBe(manifest.Header);
            }));

    [Fact]
    public void Read_FromTrickledStream_EqualsReadFromBytes_Property() =>
        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(100),
            Prop.ForAll(Manifests.Zip(Gen.Choose(1, 64)).ToArbitrary(), pair =>
            {
                var (manifest, chunk) = pair;
                var bytes = ManifestWriter.Write(manifest);
                using var stream = new TrickleStream(bytes, chunk);
                ManifestWriter.Write(ManifestReader.Read(stream)).ShouldBe(bytes);
            }));

    private static Gen<Manifest> Manifests =>
        from header in Headers
        from candidates in JsonGenerators.UpTo(Keys, 12)
        from entries in Gen.CollectToArray(NonConflicting(candidates), Entry)
        from directories in Directories(entries.Select(e => e.LogicalKey).ToArray())
        select Manifest.Create(header, entries, directories);

    private static Gen<QuiltJsonObject> Headers =>
        from userMeta in Gen.Frequency((2, Gen.Constant<QuiltJsonValue?>(null)), (1, Gen.Constant<QuiltJsonValue?>(QuiltJsonNull.Instance)), (3, JsonGenerators.Writable.Select(v => (QuiltJsonValue?)v)))
        from workflow in Gen.Frequency((3, Gen.Constant<QuiltJsonObject?>(null)), (1, JsonGenerators.WritableObject.Select(o => (QuiltJsonObject?)o)))
        from message in Gen.Frequency((1, Gen.Constant<string?>(null)), (1, Gen.Constant<string?>("")), (3, JsonGenerators.Text.Select(t => (string?)t)))
        from messageAbsent in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
        from extra in JsonGenerators.Writable
        from withExtra in Gen.Elements(false, true)
        select Shape(Manifest.CreateHeader(userMeta, workflow, message), messageAbsent, withExtra ? extra : null);

    private static Gen<string> Keys =>
        Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(Components, n)).Select(parts => string.Join('/', parts));

    private static Gen<string> Components =>
        Gen.Frequency(
            (4, JsonGenerators.Text.Select(t => t.Replace("/", "", StringComparison.Ordinal)).Where(t => t.Length > 0)),
            (2, Gen.Elements("a", "a-c", "b", "B", "é", "\uffff", "😀", "x.csv")),
            (1, Gen.Constant(string.Empty)));

    private static Gen<ManifestEntry> Entry(string key) =>
        from size in Gen.Frequency((3, Gen.Choose(0, 100_000).Select(i => (long)i)), (1, Gen.Elements(0L, long.MaxValue, 5_497_558_138_880L)))
        from type in Gen.Elements(HashTypes)
        from value in JsonGenerators.Text
        from meta in Gen.Frequency(
            (1, Gen.Constant<QuiltJsonObject?>(null)),
            (2, JsonGenerators.WritableObject.Select(o => (QuiltJsonObject?)o)),
            (2, JsonGenerators.Writable.Select(v => (QuiltJsonObject?)new QuiltJsonObject([new("user_meta", v)]))))
        from physical in JsonGenerators.Text
        select new ManifestEntry(key, "s3://bucket/" + physical, size, new QuiltHash(type, value), meta);

    private static Gen<DirectoryEntry[]> Directories(string[] fileKeys)
    {
        var candidates = fileKeys
            .SelectMany(k => Enumerable.Range(0, k.Length).Where(i => k[i] == '/').Select(i => k[..(i + 1)]))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        return Gen.CollectToArray(candidates, dir =>
            from keep in Gen.Elements(false, true)
            from meta in JsonGenerators.Writable
            select keep ? new DirectoryEntry(dir, meta) : null)
            .Select(dirs => dirs.OfType<DirectoryEntry>().ToArray());
    }

    /// <summary>Keeps keys that are neither duplicates nor files used as a directory by another kept key.</summary>
    private static string[] NonConflicting(string[] candidates)
    {
        var kept = new List<string>();
        foreach (var key in candidates)
        {
            var clash = kept.Any(k =>
                string.Equals(k, key, StringComparison.Ordinal) ||
                key.StartsWith(k + "/", StringComparison.Ordinal) ||
                k.StartsWith(key + "/", StringComparison.Ordinal));
            if (!clash)
            {
                kept.Add(key);
            }
        }

        return [.. kept];
    }

    private static QuiltJsonObject Shape(QuiltJsonObject header, bool dropMessage, QuiltJsonValue? extra)
    {
        var shaped = dropMessage ? header.Without("message") : header;
        return extra is null ? shaped : shaped.With("x-extra", extra);
    }
}
