using System.Text;
using Quilt.Testing;
using Quilt.Catalog.Internal;
using Quilt.Catalog.Tests.Fakes;
using Quilt.Catalog.Tests.TestRegistry;
using Quilt.Core.Errors;
using Quilt.Packaging.Contracts;
using Quilt.Storage;

namespace Quilt.Catalog.Tests;

/// <summary>
/// A catalog user's temporary credentials may expire (or be revoked) in the middle of a long operation: every S3 request
/// signs with the user's current set, renewed before it expires; a set S3 refuses is forgotten and the request sent
/// once more; users never share a store or a set.
/// </summary>
public sealed class CatalogCredentialRenewalTests(GraphQLValidator validator)
{
    private const int Objects = 40;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CreateFromS3Request Request(string user) => new()
    {
        Source = StorageLocation.Parse($"s3://{user}-src/d/"),
        PackageName = $"{user}/big",
        TargetRegistry = StorageLocation.S3($"{user}-reg"),
        Copy = CopyMode.None,
    };

    private static async Task<(CatalogWorld World, ManualTimeProvider Clock, RegistryUser[] Users)> WorldAsync(GraphQLValidator validator, int concurrency, params string[] names)
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var world = await CatalogWorld.StartAsync(validator, o => o with { Concurrency = concurrency }, clock: clock);
        var users = names.Select(name => world.Registry.AddUser($"{name}-SECRET-TOKEN", name, $"{name}-reg", $"{name}-src")).ToArray();
        foreach (var user in users)
        {
            world.S3.CreateBucket($"{user.Name}-src", versioned: true, user.AccessKeyId);
            world.S3.CreateBucket($"{user.Name}-reg", versioned: true, user.AccessKeyId);
            for (var i = 0; i < Objects; i++)
            {
                world.S3.Put($"{user.Name}-src", $"d/{i:D2}.txt", Encoding.UTF8.GetBytes($"{user.Name} {i}"));
            }
        }

        return (world, clock, users);
    }

    /// <summary>Moves the clock; the registry's next sets last <paramref name="lifetime"/> from the moved clock.</summary>
    private static void Advance(CatalogWorld world, ManualTimeProvider clock, TimeSpan by, TimeSpan? lifetime = null)
    {
        clock.Advance(by);
        world.Registry.CredentialLifetime = clock.Now - DateTimeOffset.UtcNow + (lifetime ?? TimeSpan.FromHours(1));
    }

    private static Action<string, CatalogUserCredentials> AtHead(int n, Action action)
    {
        var heads = 0;
        return (operation, _) =>
        {
            if (operation == "HeadObject" && Interlocked.Increment(ref heads) == n)
            {
                action();
            }
        };
    }

    [Fact]
    public async Task CreateFromS3_CredentialsExpireMidOperation_CompletesWithTheRenewedSet()
    {
        var (world, clock, users) = await WorldAsync(validator, 1, "zoe");
        await using var _ = world;
        var zoe = users[0];
        world.S3.BeforeRequest = AtHead(20, () => Advance(world, clock, TimeSpan.FromMinutes(61)));

        var result = await world.For(zoe).CreateFromS3Async(Request("zoe"), null, Ct);

        var signed = world.S3.Signed.ToList();
        signed.ShouldAllBe(s => !s.Refused);
        signed.Select(s => s.Credentials.SessionToken).Distinct().ShouldBe(["session-zoe-1", "session-zoe-2"]);
        var beforeTheJump = signed.TakeWhile(s => s.Credentials.SessionToken == "session-zoe-1").ToList();
        beforeTheJump.Select(s => s.Operation).ShouldBe(["HeadBucket", "ListObjectVersions", .. Enumerable.Repeat("HeadObject", 19)]);
        signed.Skip(beforeTheJump.Count).ShouldAllBe(s => s.Credentials.SessionToken == "session-zoe-2");
        signed.Count(s => s.Operation == "HeadObject").ShouldBe(Objects);
        world.Registry.CredentialRequests[zoe.Token].ShouldBe(2);
        world.S3.StoresCreated.ShouldHaveSingleItem();

        // The first set really is dead now: S3 would refuse it.
        Should.Throw<QuiltException>(() => world.S3.Authenticate("HeadObject", "s3://zoe-src/d/00.txt", beforeTheJump[0].Credentials)).Message.ShouldContain("ExpiredToken");

        result.Entries.ShouldBe(Objects);
        result.TopHash.ShouldBe(world.Registry.Latest("zoe-reg", "zoe/big"));
        var entries = world.Registry.CallsTo("packageConstruct").ShouldHaveSingleItem().Args["src"]!["entries"]!.AsArray();
        entries.Select(e => e!["logicalKey"]!.GetValue<string>()).ShouldBe(Enumerable.Range(0, Objects).Select(i => $"{i:D2}.txt"));
        entries.ShouldAllBe(e => e!["physicalKey"]!.GetValue<string>().StartsWith("s3://zoe-src/d/", StringComparison.Ordinal)
            && e["physicalKey"]!.GetValue<string>().Contains("?versionId=", StringComparison.Ordinal));
        entries.Select(e => (long)e!["size"]!.GetValue<double>()).Sum().ShouldBe(Enumerable.Range(0, Objects).Sum(i => Encoding.UTF8.GetByteCount($"zoe {i}")));
        world.AssertProtocolClean();
    }

    [Fact]
    public async Task CreateFromS3_StoreKeepingItsFirstSet_FailsWhenItExpires()
    {
        // The control: what catalog mode did before (one set per operation) fails the very same run.
        var (world, clock, users) = await WorldAsync(validator, 1, "zoe");
        await using var _ = world;
        using var connection = new CatalogConnection(
            world.Connection.Options,
            user =>
            {
                var store = world.S3.StoreFor(user);
                store.KeepFirstCredentials = true;
                return store;
            },
            clock: clock);
        world.S3.BeforeRequest = AtHead(20, () => Advance(world, clock, TimeSpan.FromMinutes(61)));

        var error = await Should.ThrowAsync<QuiltException>(() => connection.ForToken(users[0].Token).CreateFromS3Async(Request("zoe"), null, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.AccessDenied);
        error.Message.ShouldContain("ExpiredToken");
        error.Hint.ShouldBe(CatalogQuiltOperations.S3AccessHint);
        world.S3.Signed.ShouldAllBe(s => s.Credentials.SessionToken == "session-zoe-1");
        world.Registry.CallsTo("packageConstruct").ShouldBeEmpty();
    }

    [Fact]
    public async Task CreateFromS3_ParallelRequestsAcrossARenewal_AllSignedWithValidSets()
    {
        var (world, clock, users) = await WorldAsync(validator, 8, "zoe");
        await using var _ = world;
        world.Registry.CredentialsDelay = TimeSpan.FromMilliseconds(50);

        // 57 minutes on: the first set has 3 minutes left, within the renewal margin; requests in flight may still use it.
        world.S3.BeforeRequest = AtHead(15, () => Advance(world, clock, TimeSpan.FromMinutes(57)));

        var result = await world.For(users[0]).CreateFromS3Async(Request("zoe") with { PackageName = "zoe/parallel" }, null, Ct);

        result.Entries.ShouldBe(Objects);
        world.S3.Signed.ShouldAllBe(s => !s.Refused);
        world.S3.Signed.Select(s => s.Credentials.SessionToken).Distinct().Order().ShouldBe(["session-zoe-1", "session-zoe-2"]);
        world.S3.Signed.Last().Credentials.SessionToken.ShouldBe("session-zoe-2");
        world.Registry.CredentialRequests[users[0].Token].ShouldBe(2);
    }

    [Fact]
    public async Task TwoTokens_AcrossRenewals_NeverShareAStoreOrASet()
    {
        var (world, clock, users) = await WorldAsync(validator, 4, "kate", "leo");
        await using var _ = world;
        var factory = world.Connection.CreateFactory();
        foreach (var user in users)
        {
            await factory(user.Token).ListObjectsAsync(StorageLocation.S3($"{user.Name}-src", "d/"), null, 1, null, Ct);
        }

        // Both users hold their first set. Each user's 10th HEAD waits for the other's; then the clock moves on 57 minutes
        // (both sets due for renewal) and both carry on, each with 30 HEADs to go.
        using var bothAtTen = new Barrier(2, _ => Advance(world, clock, TimeSpan.FromMinutes(57)));
        var heads = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        world.S3.BeforeRequest = (operation, user) =>
        {
            if (operation == "HeadObject" && heads.AddOrUpdate(user.Fingerprint, 1, (_, n) => n + 1) == 10)
            {
                bothAtTen.SignalAndWait(TimeSpan.FromSeconds(30)).ShouldBeTrue();
            }
        };

        var results = await Task.WhenAll(users.Select(u => Task.Run(() => factory(u.Token).CreateFromS3Async(Request(u.Name), null, Ct), Ct)));

        results.ShouldAllBe(r => r.Entries == Objects);
        world.S3.Signed.ShouldAllBe(s => !s.Refused);
        world.S3.StoresCreated.Count.ShouldBe(2);
        foreach (var store in world.S3.StoresCreated)
        {
            var name = store.AccessKeyId == "AKIAKATE" ? "kate" : "leo";
            store.Used.Select(c => c.SessionToken).ShouldAllBe(t => t.StartsWith($"session-{name}-", StringComparison.Ordinal));
            store.Used.ShouldAllBe(c => c.SecretAccessKey == "secret-" + name);
        }

        world.S3.StoresCreated[0].User.Fingerprint.ShouldNotBe(world.S3.StoresCreated[1].User.Fingerprint);
        world.S3.Signed.Select(s => s.Credentials.SessionToken).Distinct().Count().ShouldBe(4);
        users.ShouldAllBe(u => world.Registry.CredentialRequests[u.Token] == 2);
        foreach (var construct in world.Registry.CallsTo("packageConstruct"))
        {
            var owner = construct.Token == users[0].Token ? "kate" : "leo";
            construct.Args["src"]!["entries"]!.AsArray().ShouldAllBe(e => e!["physicalKey"]!.GetValue<string>().StartsWith($"s3://{owner}-src/", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task S3Store_ExpiredTokenAnswer_ForgetsTheSetAndSendsTheRequestAgainWithANewOne()
    {
        await using var stub = await StubWorld.StartAsync(validator);
        var store = await stub.StoreAsync();

        await store.ListPageAsync("una-reg", "", null, 1000, null, Ct);
        stub.S3.Refuse("session-una-1");
        var page = await store.ListPageAsync("una-reg", "", null, 1000, null, Ct);
        await store.ListPageAsync("una-reg", "", null, 1000, null, Ct);

        page.Objects.ShouldHaveSingleItem().Key.ShouldBe("a.txt");
        stub.S3.Sessions.ShouldBe(["session-una-1", "session-una-1", "session-una-2", "session-una-2"]);
        stub.S3.Calls.Select(c => c.Refused).ShouldBe([false, true, false, false]);
        stub.S3.Calls.ShouldAllBe(c => c.AccessKeyId == "AKIAUNA");
        store.Requests.Count("ListObjectsV2").ShouldBe(4);
        stub.Registry.CredentialRequests[stub.Una.Token].ShouldBe(2);
        (await (await stub.Connection.GetCredentialsProviderAsync(Ct)).GetCredentialsAsync(stub.Una.Token, Ct)).SessionToken.ShouldBe("session-una-2");
    }

    [Fact]
    public async Task S3Store_RefusedAgainAfterRenewal_AccessDeniedWithoutSecrets()
    {
        await using var stub = await StubWorld.StartAsync(validator);
        stub.S3.Refuse("session-una-1");
        stub.S3.Refuse("session-una-2");

        var error = await Should.ThrowAsync<QuiltException>(() => stub.Connection.ForToken(stub.Una.Token).ListObjectsAsync(StorageLocation.S3("una-reg"), null, 100, null, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.AccessDenied);
        error.Message.ShouldContain("ExpiredToken");
        error.Hint.ShouldBe(CatalogQuiltOperations.S3AccessHint);
        stub.S3.Sessions.ShouldBe(["session-una-1", "session-una-2"]);
        var text = error.ToString();
        text.ShouldNotContain("session-una");
        text.ShouldNotContain("secret-una");
        text.ShouldNotContain("AKIAUNA");
        text.ShouldNotContain(stub.Una.Token);
        stub.Registry.CredentialRequests[stub.Una.Token].ShouldBe(2);
    }

    [Fact]
    public async Task S3Store_ManyRequestsRefusedTogether_RenewOnce()
    {
        await using var stub = await StubWorld.StartAsync(validator);
        var store = await stub.StoreAsync();
        await store.ListPageAsync("una-reg", "", null, 1000, null, Ct);
        stub.S3.Refuse("session-una-1");
        stub.S3.HoldRefusalsUntil(8);

        var pages = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.ListPageAsync("una-reg", "", null, 1000, null, Ct)));

        pages.ShouldAllBe(p => p.Objects.Count == 1);
        stub.S3.Calls.Count(c => c.Refused).ShouldBe(8);
        stub.S3.Calls.Where(c => !c.Refused).Skip(1).ShouldAllBe(c => c.SessionToken == "session-una-2");
        stub.Registry.CredentialRequests[stub.Una.Token].ShouldBe(2);
    }

    [Fact]
    public async Task S3Store_NearExpiryByTheConnectionsClock_SignsWithTheRenewedSet()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var stub = await StubWorld.StartAsync(validator, clock);
        var store = await stub.StoreAsync();
        var ops = stub.Connection.ForToken(stub.Una.Token);

        await store.ListPageAsync("una-reg", "", null, 1000, null, Ct);
        var before = await ops.GetUploadUrlAsync(StorageLocation.Parse("s3://una-reg/up.txt"), TimeSpan.FromMinutes(10), Ct);
        clock.Advance(TimeSpan.FromMinutes(56));
        stub.Registry.CredentialLifetime = clock.Now - DateTimeOffset.UtcNow + TimeSpan.FromHours(1);
        await store.ListPageAsync("una-reg", "", null, 1000, null, Ct);
        await store.ListPageAsync("una-reg", "", null, 1000, null, Ct);
        var after = await ops.GetUploadUrlAsync(StorageLocation.Parse("s3://una-reg/up.txt"), TimeSpan.FromMinutes(10), Ct);

        stub.S3.Sessions.ShouldBe(["session-una-1", "session-una-2", "session-una-2"]);
        stub.S3.Calls.ShouldAllBe(c => !c.Refused);
        before.UploadUrl.ShouldContain("X-Amz-Security-Token=session-una-1");
        after.UploadUrl.ShouldContain("X-Amz-Security-Token=session-una-2");
        stub.Registry.CredentialRequests[stub.Una.Token].ShouldBe(2);
    }

    [Fact]
    public async Task S3Store_RegistryHandsOutExpiredCredentials_AccessDeniedNamingTheClock()
    {
        await using var stub = await StubWorld.StartAsync(validator);
        stub.Registry.CredentialLifetime = TimeSpan.FromMinutes(-10);

        var error = await Should.ThrowAsync<QuiltException>(() => stub.Connection.ForToken(stub.Una.Token).ListObjectsAsync(StorageLocation.S3("una-reg"), null, 100, null, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.AccessDenied);
        error.Message.ShouldContain("already expired", Case.Insensitive);
        error.Hint!.ShouldContain("clock");
        stub.S3.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task CatalogAwsCredentials_ClearWithoutASet_RejectsNothing()
    {
        await using var stub = await StubWorld.StartAsync(validator);
        var provider = await stub.Connection.GetCredentialsProviderAsync(Ct);
        var first = await provider.GetCredentialsAsync(stub.Una.Token, Ct);
        using var credentials = new CatalogAwsCredentials(new CatalogUserCredentials(provider, stub.Una.Token, TimeProvider.System));

        credentials.ClearCredentials();
        var signing = await credentials.GetCredentialsAsync();

        signing.Token.ShouldBe(first.SessionToken);
        credentials.ToString().ShouldNotContain(stub.Una.Token);
        credentials.ToString().ShouldNotContain("secret-una");
        stub.Registry.CredentialRequests[stub.Una.Token].ShouldBe(1);
    }

    /// <summary>A connection whose stores are real <see cref="S3ObjectStore"/>s over <see cref="StubS3Handler"/>, and a user.</summary>
    private sealed class StubWorld : IAsyncDisposable
    {
        private StubWorld(FakeRegistry registry, StubS3Handler s3, CatalogConnection connection, RegistryUser una)
        {
            Registry = registry;
            S3 = s3;
            Connection = connection;
            Una = una;
        }

        public FakeRegistry Registry { get; }

        public StubS3Handler S3 { get; }

        public CatalogConnection Connection { get; }

        public RegistryUser Una { get; }

        public static async Task<StubWorld> StartAsync(GraphQLValidator validator, TimeProvider? clock = null)
        {
            var registry = await FakeRegistry.StartAsync(validator);
            var una = registry.AddUser("una-SECRET-TOKEN", "una", "una-reg");
            var s3 = new StubS3Handler();
            var connection = new CatalogConnection(
                new CatalogOptions { RegistryUrl = registry.Url.AbsoluteUri },
                user => new S3ObjectStore(new S3StoreOptions
                {
                    Credentials = new CatalogAwsCredentials(user),
                    ServiceUrl = "http://s3.stub.test",
                    Region = "us-east-1",
                    MaxRetries = 0,
                    HttpHandlerWrapper = _ => s3,
                }),
                clock: clock);
            return new StubWorld(registry, s3, connection, una);
        }

        public Task<IObjectStore> StoreAsync() => Connection.GetStoreAsync(Una.Token, TestContext.Current.CancellationToken);

        public async ValueTask DisposeAsync()
        {
            Connection.Dispose();
            await Registry.DisposeAsync();
        }
    }
}
