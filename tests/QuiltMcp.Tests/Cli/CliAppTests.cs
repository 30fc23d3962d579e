using System.Text;
using System.Text.Json;
using Quilt.Testing;

namespace QuiltMcp.Tests.Cli;

public sealed class CliAppTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("quilt-cli-").FullName;

    public static TheoryData<string, string> TopHashVectors()
    {
        var data = new TheoryData<string, string>();
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Vectors, "expected.json")));
        foreach (var v in doc.RootElement.GetProperty("top_hash").EnumerateArray())
        {
            data.Add(v.GetProperty("manifest").GetString()!, v.GetProperty("expected").GetString()!);
        }

        return data;
    }

    public static TheoryData<string, string, string> ObjectHashVectors()
    {
        var data = new TheoryData<string, string, string>();
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Vectors, "expected.json")));
        foreach (var v in doc.RootElement.GetProperty("object_hash").EnumerateArray())
        {
            data.Add(v.GetProperty("type").GetString()!, v.GetProperty("input").GetRawText(), v.GetProperty("expected").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TopHashVectors))]
    public async Task TopHash_VectorManifest_PrintsExpectedHash(string manifest, string expected)
    {
        var (code, output, _) = await CliRunner.RunAsync("tophash", Path.Combine(RepoPaths.Vectors, manifest));

        code.ShouldBe(0);
        output.Trim().ShouldBe(expected);
    }

    [Theory]
    [MemberData(nameof(ObjectHashVectors))]
    public async Task Hash_VectorObject_PrintsExpectedValue(string type, string input, string expected)
    {
        var path = MaterializeInput(input);

        var (code, output, error) = await CliRunner.RunAsync("hash", path, "--type", type);

        code.ShouldBe(0, error);
        output.Trim().ShouldBe(expected);
    }

    [Fact]
    public async Task CreateFromS3_SampleFolder_CreatesPackageThatVerifies()
    {
        var registry = Path.Combine(_root, "reg");
        var sample = Path.Combine(RepoPaths.RepoRoot, "samples", "demo");

        var (code, output, error) = await CliRunner.RunAsync("create-from-s3", sample, "--name", "demo/sample", "--registry", registry, "--json", "--meta", "{\"k\": 1}");

        code.ShouldBe(0, error);
        using var doc = JsonDocument.Parse(output);
        var topHash = doc.RootElement.GetProperty("top_hash").GetString()!;
        topHash.Length.ShouldBe(64);
        doc.RootElement.GetProperty("entries").GetInt64().ShouldBe(4);

        var verify = await CliRunner.RunAsync("verify", "demo/sample", "--registry", registry);
        verify.ExitCode.ShouldBe(0, verify.Error);
        verify.Out.ShouldContain("OK");

        var tophash = await CliRunner.RunAsync("tophash", Path.Combine(registry, ".quilt", "packages", topHash));
        tophash.Out.Trim().ShouldBe(topHash);

        var browse = await CliRunner.RunAsync("browse", "demo/sample", "--registry", registry, "--top-hash", topHash[..8]);
        browse.ExitCode.ShouldBe(0);
        browse.Out.ShouldContain("data/iris.csv");

        var list = await CliRunner.RunAsync("list", "--registry", registry, "--json");
        list.Out.ShouldContain("demo/sample");
    }

    [Fact]
    public async Task Cleanup_NoInterruptedRuns_ReportsNothingFoundAndSucceeds()
    {
        var registry = Path.Combine(_root, "reg");
        var state = Path.Combine(_root, "state");
        var sample = Path.Combine(RepoPaths.RepoRoot, "samples", "demo");
        var options = new Quilt.Packaging.PackagingOptions { StateDirectory = state };
        (await CliRunner.RunWithAsync(options, "create-from-s3", sample, "--name", "demo/sample", "--registry", registry)).ExitCode.ShouldBe(0);
        Directory.GetFiles(Path.Combine(state, "runs")).ShouldBeEmpty(); // a committed run discards its journal

        var json = await CliRunner.RunWithAsync(options, "cleanup", "--registry", registry, "--json");
        var text = await CliRunner.RunWithAsync(options, "cleanup", "--registry", registry);

        json.ExitCode.ShouldBe(0, json.Error);
        using var doc = JsonDocument.Parse(json.Out);
        doc.RootElement.GetProperty("runs_found").GetInt32().ShouldBe(0);
        doc.RootElement.GetProperty("state_directory").GetString().ShouldBe(state);
        text.ExitCode.ShouldBe(0);
        text.Out.ShouldContain($"0 interrupted or running run(s) found in {state}");
    }

    [Fact]
    public async Task Diff_TwoRevisions_ListsAddedRemovedModified()
    {
        var source = Path.Combine(_root, "src");
        var registry = Path.Combine(_root, "reg");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "keep.txt"), "same");
        File.WriteAllText(Path.Combine(source, "change.txt"), "v1");
        File.WriteAllText(Path.Combine(source, "gone.txt"), "bye");
        var first = await CliRunner.RunAsync("create-from-s3", source, "--name", "a/b", "--registry", registry, "--json", "-m", "one");
        File.WriteAllText(Path.Combine(source, "change.txt"), "v2");
        File.Delete(Path.Combine(source, "gone.txt"));
        File.WriteAllText(Path.Combine(source, "new.txt"), "hi");
        var second = await CliRunner.RunAsync("create-from-s3", source, "--name", "a/b", "--registry", registry, "--json", "-m", "two", "--copy", "none");
        var h1 = JsonDocument.Parse(first.Out).RootElement.GetProperty("top_hash").GetString()!;
        var h2 = JsonDocument.Parse(second.Out).RootElement.GetProperty("top_hash").GetString()!;

        var (code, output, _) = await CliRunner.RunAsync("diff", "a/b", h1, h2, "--registry", registry);

        code.ShouldBe(0);
        output.ShouldContain("+ new.txt");
        output.ShouldContain("- gone.txt");
        output.ShouldContain("M change.txt");
        output.ShouldNotContain("keep.txt");
    }

    [Theory]
    [InlineData("create-from-s3", "x")]
    [InlineData("create-from-s3", "x", "--name", "a/b", "--registry", "r", "--copy", "sometimes")]
    [InlineData("nonsense-verb")]
    [InlineData("hash", "x", "--type", "MD5")]
    [InlineData("serve", "--http", "127.0.0.1:0", "--session-idle-minutes", "0")]
    public async Task Run_UsageError_ExitsTwoWithMessage(params string[] args)
    {
        var (code, _, error) = await CliRunner.RunAsync(args);

        code.ShouldBe(2);
        error.ShouldContain("usage error");
    }

    [Fact]
    public async Task CreateFromS3_InvalidPackageName_ExitsTwoAndWritesNothing()
    {
        var registry = Path.Combine(_root, "reg");

        var (code, _, error) = await CliRunner.RunAsync("create-from-s3", Path.Combine(RepoPaths.RepoRoot, "samples", "demo"), "--name", "no-slash", "--registry", registry);

        code.ShouldBe(2);
        error.ShouldContain("no-slash");
        Directory.Exists(registry).ShouldBeFalse();
    }

    [Fact]
    public async Task CreateFromS3_MissingFolder_ExitsOneAndWritesNothing()
    {
        var registry = Path.Combine(_root, "reg");

        var (code, _, error) = await CliRunner.RunAsync("create-from-s3", Path.Combine(_root, "missing"), "--name", "a/b", "--registry", registry);

        code.ShouldBe(1);
        error.ShouldContain("missing");
        error.ShouldContain("next step");
        Directory.Exists(registry).ShouldBeFalse();
    }

    [Fact]
    public async Task CreateFromS3_MalformedMeta_ExitsTwo()
    {
        var (code, _, error) = await CliRunner.RunAsync("create-from-s3", _root, "--name", "a/b", "--registry", Path.Combine(_root, "reg"), "--meta", "{not json");

        code.ShouldBe(2);
        error.ShouldContain("--meta");
    }

    [Theory]
    [InlineData("create-from-s3")]
    [InlineData("create")]
    public async Task Create_NaNInMeta_RefusedWithPathAndNothingWritten(string verb)
    {
        var data = Path.Combine(_root, "data");
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Combine(data, "a.txt"), "1");
        var registry = Path.Combine(_root, "reg");
        var source = verb == "create" ? Path.Combine(data, "a.txt") : data;

        var (code, _, error) = await CliRunner.RunAsync(verb, source, "--name", "a/b", "--registry", registry, "--meta", "{\"stats\": {\"mean\": NaN}}");

        code.ShouldBe(2, error);
        error.ShouldContain("NaN at $.stats.mean");
        Directory.Exists(registry).ShouldBeFalse();
    }

    [Fact]
    public async Task TopHash_MalformedManifest_FailsWithLine()
    {
        var path = Path.Combine(_root, "bad.jsonl");
        File.WriteAllText(path, "{\"version\": \"v0\"}\n\n{\"logical_key\": \"a\"}\n");

        var (code, _, error) = await CliRunner.RunAsync("tophash", path);

        code.ShouldBeOneOf(1, 2);
        error.ShouldContain("line");
    }

    [Fact]
    public async Task Verify_PointerToMissingManifest_FailsWithExitOne()
    {
        var registry = Path.Combine(_root, "reg");
        var pointerDir = Path.Combine(registry, ".quilt", "named_packages", "a", "b");
        Directory.CreateDirectory(pointerDir);
        File.WriteAllText(Path.Combine(pointerDir, "latest"), new string('a', 64));

        var (code, _, error) = await CliRunner.RunAsync("verify", "a/b", "--registry", registry);

        code.ShouldBe(1);
        error.ShouldContain(new string('a', 64));
    }

    [Fact]
    public async Task Verify_AlteredEntryBytes_FailsNamingTheEntry()
    {
        var source = Path.Combine(_root, "src");
        var registry = Path.Combine(_root, "reg");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "a.txt"), "original");
        (await CliRunner.RunAsync("create-from-s3", source, "--name", "a/b", "--registry", registry)).ExitCode.ShouldBe(0);
        File.WriteAllText(Path.Combine(registry, "a", "b", "a.txt"), "tampered");

        var (code, output, error) = await CliRunner.RunAsync("verify", "a/b", "--registry", registry);

        code.ShouldBe(1);
        (output + error).ShouldContain("a.txt");
        output.ShouldContain("FAILED");
    }

    [Fact]
    public async Task Ls_LocalFolderRecursiveJson_ListsVectorDirectory()
    {
        var (code, output, _) = await CliRunner.RunAsync("ls", Path.Combine(RepoPaths.Vectors, "objects", "dir"), "--recursive", "--json");

        code.ShouldBe(0);
        using var doc = JsonDocument.Parse(output);
        doc.RootElement.GetProperty("objects").EnumerateArray()
            .Select(o => (o.GetProperty("key").GetString(), o.GetProperty("size").GetInt64()))
            .ShouldBe([("foo.txt", 4L), ("x/blah.txt", 6L)]);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string MaterializeInput(string inputJson)
    {
        using var doc = JsonDocument.Parse(inputJson);
        var input = doc.RootElement;
        if (input.TryGetProperty("file", out var file))
        {
            return Path.Combine(RepoPaths.Vectors, file.GetString()!);
        }

        byte[] bytes;
        if (input.TryGetProperty("text", out var text))
        {
            bytes = Encoding.UTF8.GetBytes(text.GetString()!);
        }
        else if (input.TryGetProperty("zeros", out var zeros))
        {
            bytes = new byte[zeros.GetInt32()];
        }
        else
        {
            var unit = Encoding.UTF8.GetBytes(input.GetProperty("repeat").GetString()!);
            var times = input.GetProperty("times").GetInt32();
            bytes = new byte[unit.Length * times];
            for (var i = 0; i < times; i++)
            {
                unit.CopyTo(bytes, i * unit.Length);
            }
        }

        var path = Path.Combine(_root, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
