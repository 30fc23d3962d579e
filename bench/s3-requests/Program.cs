using System.Diagnostics;
using System.Globalization;
using Amazon.S3;
using Amazon.S3.Model;
using Quilt.Storage;
using Quilt.Testing;

// Requests per second for HEAD, CopyObject and ListObjectsV2 at concurrency 1, 8 and 32: through S3ObjectStore
// (gate, counting, retry wrapper, typed errors) and through a bare AWS SDK loop making the same requests with the
// same concurrency and connection limit (the ceiling). Both run against the same moto_server in paired, alternating
// rounds; the ratio is the median of the per-pair ratios, so that drift in moto's speed or machine load favours neither.
var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 1.0;
const int Rounds = 7;
var duration = TimeSpan.FromSeconds(seconds);
int[] concurrencies = args.Length > 2 ? [.. args[2].Split(',').Select(int.Parse)] : [1, 8, 32];
const int SeedObjects = 200;
const int ListPageSize = 100;

Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
Console.WriteLine("Starting moto_server…");
await using var moto = await MotoServer.StartAsync();
var bucket = await moto.CreateBucketAsync();
var copies = await moto.CreateBucketAsync(); // copies land elsewhere, so listing speed does not drift as they pile up
using (var seeder = moto.CreateStore())
{
    await seeder.SeedAsync(bucket, Enumerable.Range(0, SeedObjects).Select(i => ($"src/{i:D4}", new byte[1024])), parallelism: 16);
}

Console.WriteLine($"moto {moto.Endpoint}; {SeedObjects} objects of 1 KiB; {seconds:0.#} s per run, {Rounds} paired rounds; medians shown, ratio = median of per-pair ratios.");
Console.WriteLine();
Console.WriteLine("| operation | concurrency | S3ObjectStore req/s | bare SDK req/s (ceiling) | ours / ceiling |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");

var copyCounter = 0;
string NextCopyKey() => "dst/" + Interlocked.Increment(ref copyCounter).ToString("D7", CultureInfo.InvariantCulture);
string SourceKey(long i) => "src/" + (i % SeedObjects).ToString("D4", CultureInfo.InvariantCulture);

var ratios = new List<double>();
var operations = args.Length > 1 ? args[1].Split(',') : ["HeadObject", "CopyObject", "ListObjectsV2"];
foreach (var operation in operations)
{
    foreach (var concurrency in concurrencies)
    {
        using var store = moto.CreateStore(o => o with { MaxConcurrency = concurrency });
        using var bare = moto.CreateRawClient(maxConnections: concurrency);
        Func<long, Task> ours = operation switch
        {
            "HeadObject" => i => store.HeadAsync(new ObjectLocation(bucket, SourceKey(i))),
            "CopyObject" => i => store.CopyAsync(new ObjectLocation(bucket, SourceKey(i)), new ObjectLocation(copies, NextCopyKey()), new CopyOptions { KnownSize = 1024 }),
            _ => i => store.ListPageAsync(bucket, "src/", null, ListPageSize, null),
        };
        Func<long, Task> ceiling = operation switch
        {
            "HeadObject" => i => bare.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = SourceKey(i), ChecksumMode = ChecksumMode.ENABLED }),
            "CopyObject" => i => bare.CopyObjectAsync(new CopyObjectRequest
            {
                SourceBucket = bucket,
                SourceKey = SourceKey(i),
                DestinationBucket = copies,
                DestinationKey = NextCopyKey(),
                ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
                MetadataDirective = S3MetadataDirective.COPY,
            }),
            _ => i => bare.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "src/", MaxKeys = ListPageSize }),
        };

        // Warm both clients (connections, SDK caches) before measuring.
        await RunAsync(ours, concurrency, TimeSpan.FromMilliseconds(300));
        await RunAsync(ceiling, concurrency, TimeSpan.FromMilliseconds(300));
        var oursRates = new List<double>();
        var ceilingRates = new List<double>();
        var pairRatios = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            // Paired runs, alternating which side goes first: each pair sees nearly the same moto and machine load.
            double o, c;
            if (round % 2 == 0)
            {
                o = await RunAsync(ours, concurrency, duration);
                c = await RunAsync(ceiling, concurrency, duration);
            }
            else
            {
                c = await RunAsync(ceiling, concurrency, duration);
                o = await RunAsync(ours, concurrency, duration);
            }

            oursRates.Add(o);
            ceilingRates.Add(c);
            pairRatios.Add(o / c);
        }

        var ratio = Median(pairRatios);
        ratios.Add(ratio);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {operation} | {concurrency} | {Median(oursRates):0} | {Median(ceilingRates):0} | {ratio:0.00} |"));
    }
}

Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Geometric mean ours/ceiling: {Math.Exp(ratios.Average(Math.Log)):0.00}; minimum {ratios.Min():0.00}."));

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

static async Task<double> RunAsync(Func<long, Task> request, int concurrency, TimeSpan duration)
{
    long next = 0;
    long done = 0;
    var clock = Stopwatch.StartNew();
    var workers = Enumerable.Range(0, concurrency).Select(async _ =>
    {
        while (clock.Elapsed < duration)
        {
            await request(Interlocked.Increment(ref next));
            Interlocked.Increment(ref done);
        }
    });
    await Task.WhenAll(workers);
    return done / clock.Elapsed.TotalSeconds;
}
