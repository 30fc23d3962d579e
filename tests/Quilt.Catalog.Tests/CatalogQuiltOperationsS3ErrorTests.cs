using System.Text;
using Quilt.Catalog.Tests.TestRegistry;
using Quilt.Core.Errors;
using Quilt.Packaging.Contracts;

namespace Quilt.Catalog.Tests;

/// <summary>
/// S3 refusals reach a catalog user with a next step that user can take: the storage layer's direct-mode advice
/// (AWS_PROFILE, AWS_ACCESS_KEY_ID) is replaced, since the server signs with the user's temporary credentials.
/// </summary>
public sealed class CatalogQuiltOperationsS3ErrorTests(GraphQLValidator validator) : IAsyncLifetime
{
    private const string DirectModeHint = "Check the AWS credentials in use (AWS_PROFILE, AWS_ACCESS_KEY_ID) and that they allow s3:HeadObject on s3://data/a.txt.";
    private CatalogWorld _world = null!;
    private RegistryUser _ada = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _world = await CatalogWorld.StartAsync(validator);
        _ada = _world.Registry.AddUser("ada-token", "ada", "reg", "data");
        _world.S3.CreateBucket("reg", versioned: true, _ada.AccessKeyId);
        _world.S3.CreateBucket("data", versioned: true, _ada.AccessKeyId);
        _world.S3.Put("data", "a.txt", Encoding.UTF8.GetBytes("a"));
    }

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    private static QuiltException S3Denied() =>
        QuiltException.CredentialsRefused("S3 HeadObject on s3://data/a.txt failed: AccessDenied (HTTP 403): Access Denied", DirectModeHint);

    [Fact]
    public async Task Create_S3DeniesWithDirectModeAdvice_NextStepIsForTheCatalogUser()
    {
        using var connection = new CatalogConnection(
            new CatalogOptions { RegistryUrl = _world.Registry.Url.AbsoluteUri },
            credentials =>
            {
                var store = _world.S3.StoreFor(credentials);
                store.HeadFault = _ => S3Denied();
                return store;
            });
        var ops = connection.ForToken(_ada.Token);

        var error = await Should.ThrowAsync<QuiltException>(() => ops.CreateFromS3Async(
            new CreateFromS3Request { Source = StorageLocation.Parse("s3://data/"), PackageName = "ada/p", TargetRegistry = StorageLocation.S3("reg"), Copy = CopyMode.None }, null, Ct));

        error.Kind.ShouldBe(QuiltErrorKind.AccessDenied);
        error.Message.ShouldStartWith("S3 HeadObject on s3://data/a.txt failed: AccessDenied (HTTP 403)");
        error.Hint.ShouldBe(CatalogQuiltOperations.S3AccessHint);
        error.Hint!.ShouldNotContain("AWS_");
        error.InnerException.ShouldBeOfType<QuiltException>().Hint.ShouldBe(DirectModeHint);
        _world.Registry.CallsTo("packageConstruct").ShouldBeEmpty();
    }

    [Fact]
    public async Task ForCatalogUser_DirectModeAccessAdvice_IsReplaced()
    {
        var error = await Should.ThrowAsync<QuiltException>(() => CatalogQuiltOperations.ForCatalogUserAsync(Task.FromException<int>(S3Denied())));

        error.Kind.ShouldBe(QuiltErrorKind.AccessDenied);
        error.Hint.ShouldBe(CatalogQuiltOperations.S3AccessHint);
    }

    [Theory]
    [InlineData(QuiltErrorKind.AccessDenied, "Log in to the catalog again and pass a fresh QUILT_JWT (or Authorization header).")]
    [InlineData(QuiltErrorKind.AccessDenied, null)]
    [InlineData(QuiltErrorKind.NotFound, "Check AWS_ENDPOINT_URL_S3.")]
    [InlineData(QuiltErrorKind.Transient, "Set AWS_PROFILE.")]
    [InlineData(QuiltErrorKind.AccessDenied, "Set AWS_PROFILE.")] // The reason decides, not the hint's text.
    public async Task ForCatalogUser_OtherErrors_PassUnchanged(QuiltErrorKind kind, string? hint)
    {
        var original = new QuiltException(kind, "failed", hint);

        var error = await Should.ThrowAsync<QuiltException>(() => CatalogQuiltOperations.ForCatalogUserAsync(Task.FromException<int>(original)));

        error.ShouldBeSameAs(original);
    }

    [Fact]
    public async Task ForCatalogUser_Success_ReturnsTheValue()
    {
        (await CatalogQuiltOperations.ForCatalogUserAsync(Task.FromResult(42))).ShouldBe(42);
    }
}
