namespace Quilt.Storage.Tests;

public sealed class RequestCounterTests
{
    [Fact]
    public void Since_ReportsOnlyTheDifferenceSortedByName()
    {
        var counter = new RequestCounter();
        counter.Add("HeadObject");
        var before = counter.Snapshot();
        counter.Add("GetObject");
        counter.Add("GetObject");
        counter.Add("CopyObject");

        counter.Since(before).ShouldBe(new Dictionary<string, long> { ["CopyObject"] = 1, ["GetObject"] = 2 });
        counter.Since(before).Keys.ShouldBe(["CopyObject", "GetObject"]);
        counter.Count("GetObject").ShouldBe(2);
        counter.Count("Nothing").ShouldBe(0);
        counter.Total.ShouldBe(4);
    }

    [Fact]
    public async Task Add_FromManyThreads_LosesNothing()
    {
        var counter = new RequestCounter();
        await Parallel.ForEachAsync(Enumerable.Range(0, 10_000), TestContext.Current.CancellationToken, (i, _) =>
        {
            counter.Add(i % 2 == 0 ? "A" : "B");
            return ValueTask.CompletedTask;
        });

        counter.Snapshot().ShouldBe(new Dictionary<string, long> { ["A"] = 5_000, ["B"] = 5_000 });
    }
}
