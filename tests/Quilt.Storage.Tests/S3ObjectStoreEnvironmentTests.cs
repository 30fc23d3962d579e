using Quilt.Core.Errors;
using Quilt.Core.Hashing;
using Quilt.Storage.Tests.Fakes;
using Quilt.Testing;
using static Quilt.Storage.Tests.Fakes.TestData;

namespace Quilt.Storage.Tests;

/// <summary>Tests that change process-wide state (environment variables, the temp folder) run alone.</summary>
[CollectionDefinition(nameof(ProcessStateCollection), DisableParallelization = true)]
public sealed class ProcessStateCollection;

/// <summary>Configuration from the environment, option validation, and "no bytes to local disk".</summary>
[Collection(nameof(ProcessStateCollection))]
public sealed class S3ObjectStoreEnvironmentTests(MotoFixture moto)
{
    private static readonly string[] Variables =
    [
        "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "TMPDIR",
    ];

    private readonly MotoServer _server = moto.Server;

    [Fact]
    public async Task FromEnvironment_EndpointAndKeysFromVariables_ReachesTheServerPathStyle()
    {
        var ct = TestContext.Current.CancellationToken;
        var bucket = await _server.CreateBucketAsync(versioned: true, ct);
        await WithEnvironmentAsync(
            new()
            {
                ["AWS_ENDPOINT_URL_S3"] = _server.Endpoint,
                ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9", // the S3-specific variable wins
                ["AWS_REGION"] = "eu-central-1",
                ["AWS_ACCESS_KEY_ID"] = MotoServer.AccessKeyId,
                ["AWS_SECRET_ACCESS_KEY"] = MotoServer.SecretAccessKey,
            },
            async () =>
            {
                using var store = S3ObjectStore.FromEnvironment();

                store.Options.ServiceUrl.ShouldBe(_server.Endpoint);
                store.Options.Region.ShouldBe("eu-central-1");
                (await store.GetBucketInfoAsync(bucket, ct)).ShouldBe(new BucketInfo(bucket, true, true));
            });
    }

    [Fact]
    public async Task FromEnvironment_GenericEndpointAndDefaultRegion_AreUsed()
    {
        var ct = TestContext.Current.CancellationToken;
        var bucket = await _server.CreateBucketAsync(cancellationToken: ct);
        await WithEnvironmentAsync(
            new()
            {
                ["AWS_ENDPOINT_URL"] = _server.Endpoint,
                ["AWS_ACCESS_KEY_ID"] = MotoServer.AccessKeyId,
                ["AWS_SECRET_ACCESS_KEY"] = MotoServer.SecretAccessKey,
                ["AWS_CONFIG_FILE"] = "/nonexistent/config",
                ["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/credentials",
            },
            async () =>
            {
                using var store = S3ObjectStore.FromEnvironment(new S3StoreOptions { MaxConcurrency = 4 });

                store.Options.ServiceUrl.ShouldBe(_server.Endpoint);
                store.Options.Region.ShouldBe("us-east-1");
                store.Options.MaxConcurrency.ShouldBe(4);
                (await store.GetBucketInfoAsync(bucket, ct)).Exists.ShouldBeTrue();
            });
    }

    [Theory]
    [InlineData("lab", "[default]\nregion = us-west-1\n[profile lab]\nregion = ap-southeast-2\n", "ap-southeast-2")]
    [InlineData(null, "[profile lab]\nregion = ap-southeast-2\n[default]\n# comment\nregion=eu-north-1\n", "eu-north-1")]
    [InlineData("other", "[profile lab]\nregion = ap-southeast-2\n", "us-east-1")]
    public async Task FromEnvironment_RegionFromProfile_IsUsedWhenNoVariableSaysOtherwise(string? profile, string configText, string expected)
    {
        using var folder = new TempFolder();
        var config = folder.Write("config", System.Text.Encoding.UTF8.GetBytes(configText));
        var environment = new Dictionary<string, string> { ["AWS_CONFIG_FILE"] = config, ["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/credentials" };
        if (profile is not null)
        {
            environment["AWS_PROFILE"] = profile;
        }

        await WithEnvironmentAsync(
            environment,
            () =>
            {
                using var store = S3ObjectStore.FromEnvironment();
                store.Options.Region.ShouldBe(expected);
                store.Options.ServiceUrl.ShouldBeNull();
                return Task.CompletedTask;
            });
    }

    [Theory]
    [InlineData("nobody")]
    [InlineData(null)]
    public async Task Store_WithoutAnyCredentials_FailsWithAccessDeniedAndAHint(string? profile)
    {
        var ct = TestContext.Current.CancellationToken;
        var environment = new Dictionary<string, string> { ["AWS_CONFIG_FILE"] = "/nonexistent/config", ["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/credentials" };
        if (profile is not null)
        {
            environment["AWS_PROFILE"] = profile;
        }

        await WithEnvironmentAsync(
            environment,
            async () =>
            {
                using var store = new S3ObjectStore(new S3StoreOptions { ServiceUrl = _server.Endpoint, MaxRetries = 0 });

                var error = await Should.ThrowAsync<QuiltException>(() => store.GetBucketInfoAsync("any-bucket", ct));

                error.Kind.ShouldBe(QuiltErrorKind.AccessDenied, error.Message + " | " + error.InnerException);
                error.Hint.ShouldNotBeNullOrWhiteSpace();
            });
    }

    [Theory]
    [InlineData(0, 1, 1, null, "s", "http://x")]
    [InlineData(1, -1, 1, null, "s", "http://x")]
    [InlineData(1, 1, 0, null, "s", "http://x")]
    [InlineData(1, 1, 1, "key", null, "http://x")]
    [InlineData(1, 1, 1, null, null, "ftp://x")]
    [InlineData(1, 1, 1, null, null, "not a url")]
    public void Constructor_InvalidOptions_ThrowInvalidInput(int concurrency, int retries, int rangedGets, string? key, string? secret, string endpoint)
    {
        var error = Should.Throw<QuiltException>(() => new S3ObjectStore(new S3StoreOptions
        {
            MaxConcurrency = concurrency,
            MaxRetries = retries,
            RangedGetConcurrency = rangedGets,
            AccessKeyId = key,
            SecretAccessKey = key is null ? null : secret,
            ServiceUrl = endpoint,
        }));

        error.Kind.ShouldBe(QuiltErrorKind.InvalidInput);
    }

    [Fact]
    public void Constructor_AwsRegionWithoutEndpoint_UsesVirtualHostedHttps()
    {
        using var store = new S3ObjectStore(new S3StoreOptions { Region = "eu-west-3", AccessKeyId = "a", SecretAccessKey = "b", SessionToken = "t" });

        var url = store.Presign(new ObjectLocation("my-bucket", "a b.txt"), false, TimeSpan.FromMinutes(1));

        url.Scheme.ShouldBe("https");
        url.Host.ShouldBe("my-bucket.s3.eu-west-3.amazonaws.com");
        url.Query.ShouldContain("X-Amz-Security-Token=t");
        store.Dispose(); // twice is harmless
    }

    [Fact]
    public async Task HashAndCopy_LargeObjects_WriteNothingToLocalDisk()
    {
        // Point the temp folder at an empty directory for the duration, then check that hashing (ranged GETs) and
        // copying (multipart) left nothing in it: bytes are hashed as they stream, never spooled to disk.
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempFolder();
        using var store = _server.CreateStore();
        var bucket = await _server.CreateBucketAsync(cancellationToken: ct);
        var data = Repeat("1234567890abcdefgh", 1_048_576);
        var location = await store.PutAsync(new ObjectLocation(bucket, "big"), data, cancellationToken: ct);
        await WithEnvironmentAsync(
            new() { ["TMPDIR"] = temp.Path + "/" },
            async () =>
            {
                Path.GetTempPath().ShouldBe(temp.Path + "/");
                var hash = await store.HashAsync(location, new HashingOptions { ScratchBucket = bucket }, ct);
                var copy = await store.CopyAsync(location, new ObjectLocation(bucket, "copy"), new CopyOptions(), ct);
                var small = await store.HashAsync(location with { Key = "copy" }, new HashingOptions { SmallObjectThreshold = 32 * MiB }, ct);

                hash.Hash.Value.ShouldBe("T+rt/HKRJOiAkEGXKvc+DhCwRcrZiDrFkjKonDT1zgs=");
                small.Hash.ShouldBe(hash.Hash);
                copy.Size.ShouldBe(data.Length);
                Directory.EnumerateFileSystemEntries(temp.Path, "*", SearchOption.AllDirectories).ShouldBeEmpty();
            });
        ObjectHasher.Compute(QuiltHashTypes.Sha256Chunked, data).Value.ShouldBe("T+rt/HKRJOiAkEGXKvc+DhCwRcrZiDrFkjKonDT1zgs=");
    }

    private static async Task WithEnvironmentAsync(Dictionary<string, string> values, Func<Task> body)
    {
        var saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var name in Variables)
            {
                Environment.SetEnvironmentVariable(name, values.GetValueOrDefault(name));
            }

            await body();
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
