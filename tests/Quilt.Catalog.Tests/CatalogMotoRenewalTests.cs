using System.Text;
using Amazon.S3.Model;
using Quilt.Catalog.Tests.Fakes;
using Quilt.Catalog.Tests.TestRegistry;
using Quilt.Core.Errors;
using Quilt.Packaging.Contracts;
using Quilt.Testing;

namespace Quilt.Catalog.Tests;

/// <summary>
/// Credential renewal end to end: the default catalog-mode S3 store (AWS SDK, real HTTP) against moto behind a gate
/// that refuses expired or revoked session tokens as AWS does.
/// </summary>
public sealed class CatalogMotoRenewalTests(GraphQLValidator validator, MotoFixture moto) : IAsyncLifetime
{
    private const int Objects = 30;
    private FakeRegistry _registry = null!;
    private S3Gate _gate = null!;
    private ManualTimeProvider _clock = null!;
    private CatalogConnection _connection = null!;
    private RegistryUser _mona = null!;
    private string _source = null!;
    private string _target = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _registry = await FakeRegistry.StartAsync(validator);
        _gate = await S3Gate.StartAsync(moto.Server.Endpoint);
        _source = await moto.Server.CreateBucketAsync(versioned: true, Ct);
        _target = await moto.Server.CreateBucketAsync(versioned: true, Ct);
        _mona = _registry.AddUser("mona-" + Guid.NewGuid().ToString("N"), "mona", _source, _target);
        _clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        _connection = new CatalogConnection(
            new CatalogOptions { RegistryUrl = _registry.Url.AbsoluteUri, S3ServiceUrl = _gate.Url.AbsoluteUri, Region = MotoServer.Region, Concurrency = 1 },
            clock: _clock);
        using var raw = moto.Server.CreateRawClient();
        for (var i = 0; i < Objects; i++)
        {
            await raw.PutObjectAsync(new PutObjectRequest { BucketName = _source, Key = $"in/{i:D2}.txt", ContentBody = "object " + i }, Ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _connection.Dispose();
        await _gate.DisposeAsync();
        await _registry.DisposeAsync();
    }

    private IQuiltOperations Ops => _connection.ForToken(_mona.Token);

    [Fact]
    public async Task CreateFromS3_OnMoto_CredentialsExpireMidRun_RenewedAndCompleted()
    {
        var first = await (await _connection.GetCredentialsProviderAsync(Ct)).GetCredentialsAsync(_mona.Token, Ct);
        _gate.Refuses = session => session == first.SessionToken && _clock.Now >= first.Expiration;
        var heads = 0;
        _gate.After = call =>
        {
            if (call.Operation == "HeadObject" && Interlocked.Increment(ref heads) == 15)
            {
                // An hour passes between the 15th HEAD and the 16th: the first set is dead from then on.
                _clock.Advance(TimeSpan.FromMinutes(61));
                _registry.CredentialLifetime = _clock.Now - DateTimeOffset.UtcNow + TimeSpan.FromHours(1);
            }
        };

        var result = await Ops.CreateFromS3Async(new CreateFromS3Request { Source = StorageLocation.Parse($"s3://{_source}/in/"), PackageName = "mona/renewed", TargetRegistry = StorageLocation.S3(_target), Copy = CopyMode.None }, null, Ct);

        var calls = _gate.Calls.ToList();
        calls.ShouldAllBe(c => !c.Refused && c.AccessKeyId == _mona.AccessKeyId);
        var withFirst = calls.TakeWhile(c => c.SessionToken == first.SessionToken).ToList();
        withFirst.Count(c => c.Operation == "HeadObject").ShouldBe(15);
        calls.Skip(withFirst.Count).ShouldAllBe(c => c.SessionToken == "session-mona-2");
        calls.Count(c => c.Operation == "HeadObject").ShouldBe(Objects);
        _registry.CredentialRequests[_mona.Token].ShouldBe(2);
        result.Entries.ShouldBe(Objects);
        result.TopHash.ShouldBe(_registry.Latest(_target, "mona/renewed"));
        var entries = _registry.CallsTo("packageConstruct").ShouldHaveSingleItem().Args["src"]!["entries"]!.AsArray();
        entries.Select(e => e!["logicalKey"]!.GetValue<string>()).ShouldBe(Enumerable.Range(0, Objects).Select(i => $"{i:D2}.txt"));
        entries.ShouldAllBe(e => e!["physicalKey"]!.GetValue<string>().Contains("?versionId=", StringComparison.Ordinal));
        entries.Sum(e => (long)e!["size"]!.GetValue<double>()).ShouldBe(Enumerable.Range(0, Objects).Sum(i => Encoding.UTF8.GetByteCount("object " + i)));
    }

    [Fact]
    public async Task ListObjects_OnMoto_SessionRevokedEarly_ForgottenAndSentAgainWithNewCredentials()
    {
        var revoked = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        _gate.Refuses = session => session is not null && revoked.ContainsKey(session);

        await Ops.ListObjectsAsync(StorageLocation.S3(_source, "in/"), null, 5, null, Ct);
        revoked["session-mona-1"] = true;
        var page = await Ops.ListObjectsAsync(StorageLocation.S3(_source, "in/"), null, 5, null, Ct);
        var info = await Ops.GetObjectInfoAsync(StorageLocation.Parse($"s3://{_source}/in/03.txt"), Ct);

        page.Objects.Count.ShouldBe(5);
        info.Size.ShouldBe(8);
        _gate.Calls.Select(c => (c.SessionToken, c.Refused)).ShouldBe(
            [("session-mona-1", false), ("session-mona-1", true), ("session-mona-2", false), ("session-mona-2", false)]);
        _registry.CredentialRequests[_mona.Token].ShouldBe(2);
    }

    [Fact]
    public async Task GetObjectInfo_OnMoto_HeadRefusedForARevokedSession_RenewedAndSentAgain()
    {
        await Ops.ListObjectsAsync(StorageLocation.S3(_source, "in/"), null, 5, null, Ct);
        _gate.Refuses = session => session == "session-mona-1";

        var info = await Ops.GetObjectInfoAsync(StorageLocation.Parse($"s3://{_source}/in/03.txt"), Ct);

        info.Size.ShouldBe(8);
        _gate.Calls.Select(c => (c.Operation, c.SessionToken, c.Refused)).ShouldBe(
            [("ListObjects", "session-mona-1", false), ("HeadObject", "session-mona-1", true), ("HeadObject", "session-mona-2", false)]);
        _registry.CredentialRequests[_mona.Token].ShouldBe(2);
    }

    [Fact]
    public async Task ListObjects_OnMoto_RevokedAndRenewedSetRefusedToo_AccessDeniedForTheCatalogUser()
    {
        _gate.Refuses = _ => true;

        var error = await Should.ThrowAsync<QuiltException>(() => Ops.ListObjectsAsync(StorageLocation.S3(_source, "in/"), null, 5, null, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.AccessDenied);
        error.Message.ShouldContain("ExpiredToken");
        error.Hint.ShouldBe(CatalogQuiltOperations.S3AccessHint);
        _gate.Calls.Select(c => c.SessionToken).ShouldBe(["session-mona-1", "session-mona-2"]);
        error.ToString().ShouldNotContain("secret-mona");
        error.ToString().ShouldNotContain("session-mona");
    }
}
