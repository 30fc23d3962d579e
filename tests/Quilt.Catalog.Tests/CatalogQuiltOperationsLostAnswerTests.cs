using System.Text;
using Quilt.Catalog.Tests.TestRegistry;
using Quilt.Core.Errors;
using Quilt.Packaging.Contracts;

namespace Quilt.Catalog.Tests;

/// <summary>
/// A packageConstruct or packagePromote whose answer never arrives (the client times out or is cancelled) although the
/// registry applied it: catalog mode re-reads the package and reports what the registry holds.
/// </summary>
public sealed class CatalogQuiltOperationsLostAnswerTests(GraphQLValidator validator) : IAsyncLifetime
{
    private const string Registry = "reg-bucket";
    private const string Source = "src-bucket";
    private static readonly TimeSpan Never = TimeSpan.FromMinutes(2);
    private CatalogWorld _world = null!;
    private RegistryUser _alice = null!;

    public async ValueTask InitializeAsync()
    {
        _world = await CatalogWorld.StartAsync(validator, o => o with { HttpTimeout = TimeSpan.FromSeconds(4) });
        _alice = _world.Registry.AddUser("alice-token-" + Guid.NewGuid().ToString("N"), "alice", Registry, Source);
        _world.S3.CreateBucket(Source, versioned: true, _alice.AccessKeyId);
        _world.S3.CreateBucket(Registry, versioned: true, _alice.AccessKeyId);
        _world.AllowPromotion(Registry);
        _world.S3.Put(Source, "data/a.csv", Encoding.UTF8.GetBytes("abc"));
    }

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IQuiltOperations Ops => _world.For(_alice);

    private static CreateFromS3Request Request(CopyMode copy) => new()
    {
        Source = StorageLocation.Parse($"s3://{Source}/data/"),
        PackageName = "team/dataset",
        TargetRegistry = StorageLocation.Parse("s3://" + Registry),
        Copy = copy,
        Message = "first version",
        Metadata = Core.Json.JsonText.Parse("""{"project": "x", "n": 1.5}"""),
    };

    [Fact]
    public async Task CreateFromS3_ConstructAppliedButAnswerTimesOut_ReportsTheCommittedRevision()
    {
        _world.Registry.Script("packageConstruct", new ScriptedAnswer.AppliedButUnanswered(Never));

        var result = await Ops.CreateFromS3Async(Request(CopyMode.None), null, Ct);

        result.TopHash.ShouldNotBeNull();
        result.TopHash.ShouldBe(_world.Registry.Latest(Registry, "team/dataset"));
        result.ObjectsReferenced.ShouldBe(1);
        result.Warnings.ShouldHaveSingleItem().ShouldContain($"the registry holds revision {result.TopHash} with this run's entries");
        _world.Registry.CallsTo("packageConstruct").ShouldHaveSingleItem();
        _world.Registry.CallsTo("packageRevisionDelete").ShouldBeEmpty();
        _world.AssertProtocolClean();
    }

    [Fact]
    public async Task CreateFromS3_ConstructNotAppliedAndTimesOut_FailsAsBefore()
    {
        _world.Registry.Script("packageConstruct", new ScriptedAnswer.Delay(Never));

        var error = await Should.ThrowAsync<QuiltException>(() => Ops.CreateFromS3Async(Request(CopyMode.None), null, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.Transient);
        error.Message.ShouldContain("did not answer PackageConstruct in time");
        _world.Registry.RevisionHashes(Registry, "team/dataset").ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateFromS3_ConstructAppliedThenCallerCancels_ReportsTheCommittedRevision()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        _world.Registry.Script("packageConstruct", new ScriptedAnswer.AppliedButUnanswered(Never, _ => cancel.Cancel()));

        var result = await Ops.CreateFromS3Async(Request(CopyMode.None), null, cancel.Token);

        result.TopHash.ShouldBe(_world.Registry.Latest(Registry, "team/dataset"));
        result.Warnings.ShouldHaveSingleItem().ShouldContain("the run was cancelled");
    }

    [Fact]
    public async Task CreateFromS3_PromoteAppliedButAnswerTimesOut_ReportsTheCopiedRevision()
    {
        _world.Registry.Script("packagePromote", new ScriptedAnswer.AppliedButUnanswered(Never));

        var result = await Ops.CreateFromS3Async(Request(CopyMode.All), null, Ct);

        var latest = _world.Registry.Latest(Registry, "team/dataset");
        result.TopHash.ShouldBe(latest);
        result.ObjectsCopied.ShouldBe(1);
        _world.Registry.Manifest(Registry, "team/dataset", latest!)!.Entries.ShouldHaveSingleItem().PhysicalKey.ShouldStartWith($"s3://{Registry}/team/dataset/a.csv");
        result.Warnings.ShouldHaveSingleItem().ShouldContain("packagePromote");
        _world.Registry.CallsTo("packageRevisionDelete").ShouldBeEmpty();
        _world.AssertProtocolClean();
    }

    [Fact]
    public async Task CreateFromS3_PromoteNotAppliedAndTimesOut_RollsBackAsBefore()
    {
        _world.Registry.Script("packagePromote", new ScriptedAnswer.Delay(Never));

        var error = await Should.ThrowAsync<QuiltException>(() => Ops.CreateFromS3Async(Request(CopyMode.All), null, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.Transient);
        error.Message.ShouldContain("Rolled back");
        _world.Registry.CallsTo("packageRevisionDelete").ShouldHaveSingleItem();
        _world.Registry.RevisionHashes(Registry, "team/dataset").ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateFromS3_ConstructAppliedThenCancelledBeforePromote_RollsBackTheConstructedRevision()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        _world.Registry.Script("packageConstruct", new ScriptedAnswer.AppliedButUnanswered(Never, _ => cancel.Cancel()));

        var error = await Should.ThrowAsync<QuiltException>(() => Ops.CreateFromS3Async(Request(CopyMode.All), null, cancel.Token));

        error.Kind.ShouldBe(QuiltErrorKind.Cancelled);
        error.Message.ShouldContain("Rolled back");
        _world.Registry.CallsTo("packagePromote").ShouldBeEmpty();
        _world.Registry.RevisionHashes(Registry, "team/dataset").ShouldBeEmpty();
    }
}
