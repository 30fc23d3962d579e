using System.Text.Json;
using QuiltMcp.Tests.Process;

namespace QuiltMcp.Tests.Cli;

/// <summary>
/// One rule for a bare word on the command line (StorageLocation.Parse): <c>samples</c> is the local folder, with or
/// without <c>-r</c>; an S3 bucket is written <c>s3://bucket</c>. The real CLI runs in a folder holding <c>samples/</c>,
/// with no AWS configuration at all, so treating the word as a bucket would fail asking for credentials.
/// </summary>
public sealed class CliBareWordTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("quilt-bare-").FullName;

    public CliBareWordTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "samples", "sub"));
        File.WriteAllText(Path.Combine(_root, "samples", "a.txt"), "alpha");
        File.WriteAllText(Path.Combine(_root, "samples", "sub", "b.txt"), "beta!");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Ls_BareWord_ListsTheLocalFolder()
    {
        using var cli = await QuiltMcpCli.RunAsync(["ls", "samples", "--json"], new Dictionary<string, string?>(), cancellationToken: TestContext.Current.CancellationToken, workingDirectory: _root);

        cli.ExitCode.ShouldBe(0, cli.Transcript);
        using var result = JsonDocument.Parse(string.Join('\n', cli.Out));
        result.RootElement.GetProperty("bucket").GetString().ShouldBe(new Uri(Path.Combine(_root, "samples")).AbsoluteUri);
        Keys(result).ShouldBe(["a.txt"]);
        result.RootElement.GetProperty("common_prefixes").EnumerateArray().Select(p => p.GetString()).ShouldBe(["sub/"]);
    }

    [Theory]
    [InlineData("-r")]
    [InlineData("--recursive")]
    public async Task LsRecursive_BareWord_ListsTheLocalFolderToo(string recursive)
    {
        using var cli = await QuiltMcpCli.RunAsync(["ls", recursive, "samples", "--json"], new Dictionary<string, string?>(), cancellationToken: TestContext.Current.CancellationToken, workingDirectory: _root);

        cli.ExitCode.ShouldBe(0, cli.Transcript);
        using var result = JsonDocument.Parse(string.Join('\n', cli.Out));
        result.RootElement.GetProperty("bucket").GetString().ShouldBe(new Uri(Path.Combine(_root, "samples")).AbsoluteUri);
        Keys(result).ShouldBe(["a.txt", "sub/b.txt"]);
    }

    [Fact]
    public async Task Ls_BareWordAndRecursive_AgreeOnTheTopLevelFile()
    {
        using var level = await QuiltMcpCli.RunAsync(["ls", "samples"], new Dictionary<string, string?>(), cancellationToken: TestContext.Current.CancellationToken, workingDirectory: _root);
        using var all = await QuiltMcpCli.RunAsync(["ls", "-r", "samples"], new Dictionary<string, string?>(), cancellationToken: TestContext.Current.CancellationToken, workingDirectory: _root);

        level.ExitCode.ShouldBe(0, level.Transcript);
        all.ExitCode.ShouldBe(0, all.Transcript);
        level.Out.ShouldContain(line => line.EndsWith(" a.txt", StringComparison.Ordinal), level.Transcript);
        all.Out.ShouldContain(line => line.EndsWith(" a.txt", StringComparison.Ordinal), all.Transcript);
        (string.Join('\n', level.Error) + string.Join('\n', all.Error)).ShouldNotContain("AWS");
    }

    private static List<string?> Keys(JsonDocument result) =>
        result.RootElement.GetProperty("objects").EnumerateArray().Select(o => o.GetProperty("key").GetString()).Order(StringComparer.Ordinal).ToList();
}
