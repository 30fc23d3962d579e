using Quilt.Core.Errors;
using Quilt.Core.Json;
using Quilt.Packaging.Contracts;
using Quilt.Packaging.Tests.Pipeline;
using Quilt.Testing;

namespace Quilt.Packaging.Tests.Internal;

/// <summary>
/// Limits that would otherwise fail a run only at commit, after every copy: key lengths of everything the run will write
/// and the header's size. Each must refuse before the first write, with nothing in the registry.
/// </summary>
public sealed class WriteLimitsTests(MotoFixture moto)
{
    public static TheoryData<RegistryKind> Kinds() => new(RegistryKind.Local, RegistryKind.Unversioned, RegistryKind.Versioned);

    private static async Task<RegistryWorld> WorldAsync(RegistryKind kind, MotoFixture moto)
    {
        var world = await RegistryWorld.CreateAsync(kind, moto, new PackagingOptions());
        await world.WriteSourceAsync("a.txt", "a");
        await world.WriteSourceAsync("b.txt", "b");
        return world;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task CreateFromS3_NameTooLongForPointerKeys_RefusedBeforeAnyCopy(RegistryKind kind)
    {
        using var world = await WorldAsync(kind, moto);
        var name = "a/" + new string('n', 5000);

        var error = await Should.ThrowAsync<QuiltException>(() => world.Operations.CreateFromS3Async(new CreateFromS3Request
        {
            Source = StorageLocation.Parse(world.SourceUri), PackageName = name, TargetRegistry = StorageLocation.Parse(world.Registry), Copy = CopyMode.All,
        }, cancellationToken: TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldContain("too long");
        error.Hint.ShouldNotBeNullOrEmpty();
        world.Store.Copies.ShouldBe(0);
        (await world.RegistryVersionsAsync()).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(RegistryKind.Unversioned)]
    [InlineData(RegistryKind.Versioned)]
    public async Task CreateFromS3_CopyDestinationKeyOver1024Bytes_RefusedBeforeAnyCopy(RegistryKind kind)
    {
        using var world = await WorldAsync(kind, moto);
        var deep = string.Join('/', Enumerable.Repeat(new string('d', 100), 10)) + "/x.txt"; // 1,016 bytes below data/
        await world.WriteSourceAsync(deep, "deep");
        var name = "lab/" + new string('p', 40);

        var error = await Should.ThrowAsync<QuiltException>(() => world.Operations.CreateFromS3Async(new CreateFromS3Request
        {
            Source = StorageLocation.Parse(world.SourceUri), PackageName = name, TargetRegistry = StorageLocation.Parse(world.Registry), Copy = CopyMode.All,
        }, cancellationToken: TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldContain("1 object(s) would be copied to keys longer than S3's 1,024 bytes");
        world.Store.Copies.ShouldBe(0);
        (await world.RegistryVersionsAsync()).ShouldBeEmpty();

        // In place the same objects keep their own keys: nothing to refuse.
        var inPlace = await world.Operations.CreateFromS3Async(new CreateFromS3Request
        {
            Source = StorageLocation.Parse(world.SourceUri), PackageName = name, TargetRegistry = StorageLocation.Parse(world.Registry), Copy = CopyMode.None,
        }, cancellationToken: TestContext.Current.CancellationToken);
        inPlace.Entries.ShouldBe(3);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task CreateFromS3_MessageMakesHeaderTooLarge_RefusedBeforeAnyCopy(RegistryKind kind)
    {
        using var world = await WorldAsync(kind, moto);

        var error = await Should.ThrowAsync<QuiltException>(() => world.Operations.CreateFromS3Async(new CreateFromS3Request
        {
            Source = StorageLocation.Parse(world.SourceUri),
            PackageName = "demo/pkg",
            TargetRegistry = StorageLocation.Parse(world.Registry),
            Copy = CopyMode.All,
            Message = new string('m', 999_000),
            Metadata = new QuiltJsonObject([new("note", new QuiltJsonString(new string('x', 2_000)))]),
        }, cancellationToken: TestContext.Current.CancellationToken));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
        error.Message.ShouldContain("quilt3 reads header lines of at most 1,000,000");
        world.Store.Copies.ShouldBe(0);
        (await world.RegistryVersionsAsync()).ShouldBeEmpty();
    }
}
