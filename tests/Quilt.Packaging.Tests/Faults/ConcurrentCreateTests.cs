using Quilt.Core.Errors;
using Quilt.Packaging.Contracts;
using Quilt.Testing;

namespace Quilt.Packaging.Tests.Faults;

/// <summary>
/// Two creates of one package name with different content, started together on one registry (two stores, as two
/// clients would be), 20 trials per bucket kind: exactly one commits, the other gets a typed conflict and leaves
/// nothing (the listing is the one before plus the winner's objects), and the winner's entries download and rehash to
/// their recorded hashes. Versioned registries race with copy all onto the same keys; unversioned ones with copy none,
/// because there two copy-all runs of one name overwrite each other's objects at the same keys before either commits,
/// which no rollback can undo (a known limitation: the winner's entries could then name the loser's bytes).
/// </summary>
public sealed class ConcurrentCreateTests(MotoFixture moto)
{
    private const int Trials = 20;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CreateFromS3_TwoRunsOfOneNameStartedTogether_OneWinsAndLoserLeavesNothing(bool versioned)
    {
        var wins = new Dictionary<string, int>(StringComparer.Ordinal) { ["a"] = 0, ["b"] = 0 };
        for (var trial = 0; trial < Trials; trial++)
        {
            // Every other trial races over an existing revision (latest written If-Match), the others create the package (If-None-Match).
            using var bench = await FaultBench.StartAsync(moto.Server, versioned, withPrior: trial % 2 == 1);
            var before = await bench.SnapshotAsync();
            var racers = new[] { "a", "b" }.Select(r => (Name: r, Operations: bench.CleanOperations())).ToList();
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var runs = racers.Select(r => Task.Run(async () =>
            {
                await start.Task;
                return await r.Operations.CreateFromS3Async(bench.Request(versioned ? CopyMode.All : CopyMode.None, prefix: $"race/{r.Name}/") with { Message = "racer " + r.Name }, cancellationToken: TestContext.Current.CancellationToken);
            })).ToList();
            start.SetResult();
            await Task.WhenAll(runs.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));

            var winners = runs.Where(r => r.IsCompletedSuccessfully).ToList();
            winners.Count.ShouldBe(1, $"trial {trial}: exactly one run commits ({string.Join("; ", runs.Where(r => r.IsFaulted).Select(r => r.Exception!.InnerException!.Message))})");
            var loser = runs.Single(r => !r.IsCompletedSuccessfully);
            var error = loser.Exception!.InnerException.ShouldBeOfType<QuiltException>();
            error.Kind.ShouldBe(QuiltErrorKind.Conflict, $"trial {trial}: {error.Message}");
            error.Message.ShouldNotContain("Rollback left", Case.Sensitive, $"trial {trial}");

            var winner = await winners[0];
            var winnerName = racers[runs.IndexOf(winners[0])].Name;
            wins[winnerName]++;
            await bench.AssertCommittedAsync(winner, before);
            var browse = await bench.CleanOperations().BrowseAsync(FaultBench.Package, StorageLocation.S3(bench.Registry), cancellationToken: TestContext.Current.CancellationToken);
            browse.Message.ShouldBe($"racer {winnerName}", "latest names the winner's revision");
            await bench.AssertHashesVerifyAsync(browse);
            bench.JournalFiles().ShouldBeEmpty($"trial {trial}: the loser's rollback was verified, so its journal is gone");
        }

        (wins["a"] + wins["b"]).ShouldBe(Trials);
        TestContext.Current.TestOutputHelper?.WriteLine($"versioned={versioned}: a won {wins["a"]}, b won {wins["b"]}");
    }
}
