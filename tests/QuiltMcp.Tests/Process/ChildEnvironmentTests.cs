using System.Diagnostics;
using Amazon.S3.Model;
using Quilt.Testing;

namespace QuiltMcp.Tests.Process;

/// <summary>
/// A child process started the way every test starts one ignores a poisoned caller environment: an endpoint that
/// answers nothing, a missing profile, bad credentials and a malformed concurrency would each break the run if they
/// got through.
/// </summary>
public sealed class ChildEnvironmentTests(MotoFixture moto)
{
    private static readonly Dictionary<string, string?> Poison = new(StringComparer.Ordinal)
    {
        ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9",
        ["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:9",
        ["AWS_PROFILE"] = "poisoned-profile-that-does-not-exist",
        ["AWS_ACCESS_KEY_ID"] = "poison",
        ["AWS_SECRET_ACCESS_KEY"] = "poison",
        ["AWS_SESSION_TOKEN"] = "poison",
        ["QUILT_CONCURRENCY"] = "abc",
        ["QUILT_MODE"] = "catalog",
        ["QUILT_JWT"] = "poison",
    };

    [Fact]
    public void For_PoisonedCallerEnvironment_RemovesEveryAwsAndQuiltVariableAndKeepsTheTestsOwn()
    {
        var changes = ChildEnvironment.For([new("AWS_REGION", "us-east-1")]);

        changes["AWS_REGION"].ShouldBe("us-east-1");
        changes["AWS_CONFIG_FILE"].ShouldNotBeNullOrEmpty();
        File.Exists(changes["AWS_CONFIG_FILE"]).ShouldBeFalse();
        changes["QUILT_MCP_STATE_DIR"].ShouldStartWith(Path.GetTempPath());
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(n => n.StartsWith("AWS_", StringComparison.Ordinal) && n != "AWS_REGION" && n != "AWS_CONFIG_FILE" && n != "AWS_SHARED_CREDENTIALS_FILE" && n != "AWS_EC2_METADATA_DISABLED"))
        {
            changes[name].ShouldBeNull();
        }
    }

    [Fact]
    public async Task ApplyTo_PoisonedInheritedBlock_CliStillListsTheMotoBucket()
    {
        var ct = TestContext.Current.CancellationToken;
        var bucket = await moto.Server.CreateBucketAsync(cancellationToken: ct);
        using var raw = moto.Server.CreateRawClient();
        await raw.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "seen/by-the-child.txt", ContentBody = "x" }, ct);
        var info = new ProcessStartInfo("dotnet", [QuiltMcpProcess.DllPath, "ls", $"s3://{bucket}/seen/", "--json"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in Poison)
        {
            info.Environment[name] = value; // as if the developer's shell had them
        }

        ChildEnvironment.ApplyTo(info, new Dictionary<string, string?>
        {
            ["AWS_ENDPOINT_URL"] = moto.Server.Endpoint,
            ["AWS_ACCESS_KEY_ID"] = MotoServer.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = MotoServer.SecretAccessKey,
            ["AWS_REGION"] = MotoServer.Region,
        });

        info.Environment.ContainsKey("AWS_PROFILE").ShouldBeFalse();
        info.Environment.ContainsKey("QUILT_JWT").ShouldBeFalse();
        using var child = System.Diagnostics.Process.Start(info)!;
        var output = child.StandardOutput.ReadToEndAsync(ct);
        var error = child.StandardError.ReadToEndAsync(ct);
        await child.WaitForExitAsync(ct);

        child.ExitCode.ShouldBe(0, await error);
        (await output).ShouldContain("seen/by-the-child.txt");
    }
}
