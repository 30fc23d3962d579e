using Quilt.Packaging;
using Quilt.Storage;
using QuiltMcp.Cli;

namespace QuiltMcp.Tests.Cli;

/// <summary>Runs the CLI in-process with captured stdout/stderr and local stores.</summary>
internal static class CliRunner
{
    public static Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args) => RunWithAsync(new PackagingOptions(), args);

    /// <summary>Runs with the given packaging options (a state folder for run journals, for instance).</summary>
    public static async Task<(int ExitCode, string Out, string Error)> RunWithAsync(PackagingOptions options, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var stores = new StoreProvider(new LocalObjectStore(), () => throw new InvalidOperationException("no S3 in this test"));
        var code = await CliApp.RunAsync(args, new Output(stdout, stderr), () => new DirectQuiltOperations(stores, options), TestContext.Current.CancellationToken);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
