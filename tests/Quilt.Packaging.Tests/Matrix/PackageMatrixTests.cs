using System.Globalization;
using Quilt.Core.Hashing;
using Quilt.Packaging.Contracts;
using Quilt.Testing;

namespace Quilt.Packaging.Tests.Matrix;

/// <summary>
/// The 240-cell matrix against moto: 10 object sizes × 4 ways the source was written × 3 registry versioning states ×
/// 2 copy modes. The 40 source objects are seeded once and each (registry × copy) pair is one package creation over all
/// of them (<see cref="MotoMatrixFixture"/>), so a cell only reads back what its creation wrote: it downloads the entry's
/// bytes from the manifest's physical key with a bare SDK client, re-hashes them with the Core hasher, and checks the
/// physical key's bucket and version, browse, verify and an independently recomputed top hash.
/// </summary>
public sealed class PackageMatrixTests(MotoMatrixFixture fixture) : IClassFixture<MotoMatrixFixture>
{
    private const int EntriesPerPackage = 40;

    public static readonly int CellCount = MatrixAxes.Sizes.Length * MatrixAxes.Writers.Length * MatrixAxes.Registries.Length * MatrixAxes.CopyModes.Length;

    public static IEnumerable<TheoryDataRow<RegistryKind, CopyMode, long, SourceWriter>> Cells()
    {
        var index = 0;
        foreach (var registry in MatrixAxes.Registries)
        {
            foreach (var copy in MatrixAxes.CopyModes)
            {
                foreach (var size in MatrixAxes.Sizes)
                {
                    foreach (var writer in MatrixAxes.Writers)
                    {
                        index++;
                        yield return new TheoryDataRow<RegistryKind, CopyMode, long, SourceWriter>(registry, copy, size, writer)
                        {
                            TestDisplayName = string.Create(
                                CultureInfo.InvariantCulture,
                                $"Matrix cell {index:D3} of {CellCount} cells: registry={registry} copy={copy} size={MatrixAxes.Describe(size)} ({size}) writer={writer}"),
                        };
                    }
                }
            }
        }
    }

    [Fact]
    public void Cells_AllAxesCrossed_240CellsOnce()
    {
        var cells = Cells().Select(c => string.Join("/", ((ITheoryDataRow)c).GetData())).ToList();

        cells.Count.ShouldBe(240);
        cells.Distinct().Count().ShouldBe(240);
        CellCount.ShouldBe(240);
    }

    [Fact]
    public void Seed_EachWriter_LeftTheChecksumsItNames()
    {
        fixture.Objects.Count.ShouldBe(EntriesPerPackage);
        var problems = new List<string>();
        foreach (var o in fixture.Objects.Values.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            var multipartEtag = o.ETag.TrimEnd('"').Contains('-', StringComparison.Ordinal);
            var ok = o.Writer switch
            {
                SourceWriter.PutDefault => o.HeadCrc32 is not null && o.HeadSha256 is null && !multipartEtag,
                SourceWriter.PutSha256 => o.HeadSha256 is not null && !multipartEtag,
                _ => o.HeadSha256 is not null && multipartEtag,
            };
            if (!ok || o.VersionId is null or "null")
            {
                problems.Add($"{o.Key} ({o.HowWritten}): ETag {o.ETag}, SHA256 {o.HeadSha256 ?? "-"}, CRC32 {o.HeadCrc32 ?? "-"}, type {o.HeadChecksumType ?? "-"}, version {o.VersionId ?? "-"}");
            }
        }

        problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateFromS3_SixCreations_EachValidWithItsOwnTopHashAndCounts()
    {
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"{CellCount} cells = {MatrixAxes.Sizes.Length} sizes x {MatrixAxes.Writers.Length} writers x {MatrixAxes.Registries.Length} registries x {MatrixAxes.CopyModes.Length} copy modes; seeding took {fixture.SeedTime.TotalSeconds:0.0} s");
        var creations = new List<MatrixCreation>();
        foreach (var registry in MatrixAxes.Registries)
        {
            foreach (var copy in MatrixAxes.CopyModes)
            {
                var creation = await fixture.CreationAsync(registry, copy);
                creations.Add(creation);
                output?.WriteLine(
                    $"{registry}/{copy}: create {creation.CreateTime.TotalSeconds:0.0} s, read-back {creation.CheckTime.TotalSeconds:0.0} s, " +
                    $"steps {string.Join(", ", creation.Result.HashesByStep.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"))}, " +
                    $"HEAD versionId=null rewritten so far {creation.NullVersionHeadsRewritten}, top hash {creation.Result.TopHash}");
            }
        }

        foreach (var creation in creations)
        {
            var label = $"{creation.Registry}/{creation.Copy}";
            creation.Verify.IsValid.ShouldBeTrue($"{label}: {string.Join(" | ", creation.Verify.Problems)}");
            creation.Result.Entries.ShouldBe(EntriesPerPackage, label);
            (creation.Copy == CopyMode.All ? creation.Result.ObjectsCopied : creation.Result.ObjectsReferenced).ShouldBe(EntriesPerPackage, label);
            creation.Result.Warnings.ShouldBeEmpty(label);
        }

        creations.Select(c => c.Result.TopHash).Distinct(StringComparer.Ordinal).Count().ShouldBe(creations.Count);
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task CreateFromS3_MatrixCell_EntryHashSizeKeyBrowseVerifyAndTopHashHold(RegistryKind registry, CopyMode copy, long size, SourceWriter writer)
    {
        var creation = await fixture.CreationAsync(registry, copy);
        var key = MatrixAxes.KeyOf(size, writer);
        var seeded = fixture.Objects[key];
        var failures = new List<string>();
        void Expect(bool condition, string what)
        {
            if (!condition)
            {
                failures.Add(what);
            }
        }

        // Package-wide facts, asserted in every cell because every cell depends on them.
        Expect(creation.Manifest.Entries.Count == EntriesPerPackage, $"manifest has {creation.Manifest.Entries.Count} entries, not {EntriesPerPackage}");
        Expect(creation.RecomputedTopHash == creation.Result.TopHash, $"independent top hash {creation.RecomputedTopHash} != reported {creation.Result.TopHash}");
        Expect(creation.Browse.TopHash == creation.Result.TopHash, $"browse resolved top hash {creation.Browse.TopHash}");
        Expect(creation.Verify.EntriesChecked == EntriesPerPackage, $"verify checked {creation.Verify.EntriesChecked} entries");

        // Verify's verdict on this entry only, so that a wrong hash fails its own cell and not all 40.
        var problems = creation.Verify.Problems.Where(p => p.StartsWith(key + ":", StringComparison.Ordinal)).ToList();
        Expect(problems.Count == 0, "verify: " + string.Join(" | ", problems));
        Expect(creation.Verify.Problems.All(p => creation.Manifest.Entries.Any(e => p.StartsWith(e.LogicalKey + ":", StringComparison.Ordinal))), "verify reports a problem about no entry: " + string.Join(" | ", creation.Verify.Problems));

        var entry = creation.Manifest.Entries.SingleOrDefault(e => e.LogicalKey == key);
        if (entry is null)
        {
            failures.Add("no manifest entry");
        }
        else
        {
            Expect(entry.Size == size, $"manifest size {entry.Size}");
            Expect(entry.HashType == QuiltHashTypes.Sha256Chunked, $"hash type {entry.HashType}");
            Expect(entry.HashValue == seeded.ExpectedHash, $"manifest hash {entry.HashValue}, expected {seeded.ExpectedHash} (hash of the generated bytes)");
            Expect(
                registry == RegistryKind.Suspended && copy == CopyMode.All || !entry.PhysicalKey.Contains("versionId=null", StringComparison.Ordinal),
                $"physical key {entry.PhysicalKey} carries the literal 'null' version id of a bucket that never had versions");

            RawPhysicalKey? physical = null;
            try
            {
                physical = RawPhysicalKey.Parse(entry.PhysicalKey);
            }
            catch (FormatException e)
            {
                failures.Add(e.Message);
            }

            if (physical is not null)
            {
                CheckPhysicalKey(creation, seeded, physical, Expect);
            }

            var download = creation.Downloads[key];
            Expect(download.Error is null, $"download of {entry.PhysicalKey} failed: {download.Error}");
            Expect(download.Error is not null || download.Length == size, $"downloaded {download.Length} bytes");
            Expect(download.Error is not null || download.Hash == entry.HashValue, $"downloaded bytes hash to {download.Hash}, manifest says {entry.HashValue}");

            var browsed = creation.Browse.Entries.SingleOrDefault(e => e.LogicalKey == key);
            Expect(browsed is not null, "browse does not list the entry");
            if (browsed is not null)
            {
                Expect(browsed.Size == size, $"browse size {browsed.Size}");
                Expect(browsed.HashValue == entry.HashValue && browsed.HashType == entry.HashType, $"browse hash {browsed.HashType} {browsed.HashValue}");
                Expect(browsed.PhysicalKey == entry.PhysicalKey, $"browse physical key {browsed.PhysicalKey}");
            }
        }

        failures.ShouldBeEmpty(
            $"cell registry={registry} copy={copy} size={size} writer={writer} ({seeded.HowWritten}; source ETag {seeded.ETag}, HEAD SHA256 {seeded.HeadSha256 ?? "-"}, type {seeded.HeadChecksumType ?? "-"}); " +
            $"steps {string.Join(", ", creation.Result.HashesByStep.Select(kv => $"{kv.Key}={kv.Value}"))}; physical key {entry?.PhysicalKey}");
    }

    private void CheckPhysicalKey(MatrixCreation creation, SeededObject seeded, RawPhysicalKey physical, Action<bool, string> expect)
    {
        if (creation.Copy == CopyMode.None)
        {
            // In place: the source object itself, pinned to the version that was seeded (the source bucket is versioned).
            expect(physical.Bucket == fixture.SourceBucket, $"bucket {physical.Bucket}, expected the source {fixture.SourceBucket}");
            expect(physical.Key == seeded.Key, $"key {physical.Key}");
            expect(physical.VersionId == seeded.VersionId, $"version {physical.VersionId ?? "(none)"}, seeded {seeded.VersionId}");
            return;
        }

        var package = creation.Result.PackageName;
        expect(physical.Bucket == creation.RegistryBucket, $"bucket {physical.Bucket}, expected the registry {creation.RegistryBucket}");
        expect(physical.Key == $"{package}/{seeded.Key}", $"key {physical.Key}, expected {package}/{seeded.Key}");
        var current = creation.CurrentVersions[seeded.Key];
        switch (creation.Registry)
        {
            case RegistryKind.Versioned:
                expect(physical.VersionId is { Length: > 0 } and not "null", $"version {physical.VersionId ?? "(none)"} in a versioned registry");
                expect(physical.VersionId == current, $"version {physical.VersionId ?? "(none)"} is not the current version {current ?? "(none)"}");
                break;
            case RegistryKind.Unversioned:
                expect(physical.VersionId is null, $"version {physical.VersionId} in an unversioned registry");
                break;
            default:
                // A suspended bucket writes the null version. quilt3 keeps S3's literal 'null' (quilt-format §5.5) and so does
                // the store; moto reports it for multipart completions only, so either form is right here, and both name the
                // current object, which nothing else writes.
                expect(physical.VersionId is null or "null", $"version {physical.VersionId} in a suspended registry");
                expect(current is null or "null", $"current version {current} in a suspended registry");
                break;
        }
    }
}
