// Benchmark for `create-from-s3` (issue: the full pipeline). Prints figures and ratios; asserts nothing.
//   dotnet run -c Release --project bench/create-from-s3 [-- --objects 2000 --scale 20000,50000,100000,200000]
// Scenarios against moto_server on loopback:
//   1. requests per object and wall time vs. a bare AWSSDK loop making the same requests at the same concurrency;
//   2. against `aws s3 cp --recursive` bucket to bucket for the same small objects;
//   3. memory and time per entry when planning and writing large packages from a local folder (child processes).
using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Quilt.Packaging;
using Quilt.Packaging.Contracts;
using Quilt.Storage;
using Quilt.Testing;

var argsList = args.ToList();
if (argsList.Count >= 2 && argsList[0] == "--scale-child")
{
    return await ScaleChildAsync(int.Parse(argsList[1], CultureInfo.InvariantCulture));
}

var objects = Option("--objects", 2000);
var concurrency = Option("--concurrency", 32);
var scales = (OptionText("--scale") ?? "20000,50000,100000,200000").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();

await using var moto = await MotoServer.StartAsync();
Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
var options = new S3StoreOptions { ServiceUrl = moto.Endpoint, Region = "us-east-1", AccessKeyId = "bench", SecretAccessKey = "bench", MaxConcurrency = concurrency };
using var client = new AmazonS3Client(new BasicAWSCredentials("bench", "bench"), new AmazonS3Config
{
    ServiceURL = moto.Endpoint,
    ForcePathStyle = true,
    AuthenticationRegion = "us-east-1",
    MaxConnectionsPerServer = concurrency,
    MaxErrorRetry = 0,
    IgnoreConfiguredEndpointUrls = true,
});

Console.WriteLine($"create-from-s3 benchmark: {objects} small objects (1 KiB), 100 medium objects (2 MiB, stored SHA-256), concurrency {concurrency}, moto at {moto.Endpoint}");
await client.PutBucketAsync("bench-src");
await client.PutBucketAsync("bench-dst-aws");
var small = Enumerable.Range(0, objects).Select(i => $"small/{i / 100:000}/obj-{i:00000}.bin").ToList();
var medium = Enumerable.Range(0, 100).Select(i => $"medium/obj-{i:000}.bin").ToList();
await ForEachAsync(small, concurrency, key => client.PutObjectAsync(new PutObjectRequest
{
    BucketName = "bench-src", Key = key, InputStream = new MemoryStream(Bytes(1024, key.GetHashCode(StringComparison.Ordinal))),
    Metadata = { ["owner"] = "bench", ["sample"] = key[^9..] },
}));
await ForEachAsync(medium, 8, key => client.PutObjectAsync(new PutObjectRequest
{
    BucketName = "bench-src", Key = key, InputStream = new MemoryStream(Bytes(2 * 1024 * 1024, key.GetHashCode(StringComparison.Ordinal))), ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
}));

// Warm-up: JIT, connection pools and moto's first requests, so the first measured scenario starts as warm as the
// bare SDK loop it is compared with (whose client did the seeding).
await ForEachAsync(Enumerable.Range(0, 64).Select(i => $"warm/obj-{i:00}.bin"), concurrency, key => client.PutObjectAsync(new PutObjectRequest { BucketName = "bench-src", Key = key, ContentBody = key }));
await RunOursAsync("warm-up", "warm/", CopyMode.None, preserve: true, reg: "bench-reg-0");

Console.WriteLine();
Console.WriteLine("scenario                         objects  requests  req/object  wall s   ceiling s  wall/ceiling");
var inPlaceSmall = await RunOursAsync("in place, small (GET)", "small/", CopyMode.None, preserve: true, reg: "bench-reg-1");
var ceilingGet = await CeilingAsync(small, key => client.GetObjectAsync(new GetObjectRequest { BucketName = "bench-src", Key = key, ChecksumMode = ChecksumMode.ENABLED }), drain: true);
Report(inPlaceSmall, ceilingGet);

var inPlaceMedium = await RunOursAsync("in place, 2 MiB (HEAD)", "medium/", CopyMode.None, preserve: true, reg: "bench-reg-2");
var ceilingHead = await CeilingAsync(medium, key => client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = "bench-src", Key = key, ChecksumMode = ChecksumMode.ENABLED }));
Report(inPlaceMedium, ceilingHead);

var copyMeta = await RunOursAsync("copy + metadata (HEAD+COPY)", "small/", CopyMode.All, preserve: true, reg: "bench-reg-3");
var ceilingHeadCopy = await CeilingAsync(small, async key =>
{
    await client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = "bench-src", Key = key });
    await client.CopyObjectAsync(new CopyObjectRequest { SourceBucket = "bench-src", SourceKey = key, DestinationBucket = "bench-dst-aws", DestinationKey = "ceiling/" + key, ChecksumAlgorithm = ChecksumAlgorithm.SHA256 });
}, requestsPerItem: 2);
Report(copyMeta, ceilingHeadCopy);

var copyNoMeta = await RunOursAsync("copy, --no-object-meta (COPY)", "small/", CopyMode.All, preserve: false, reg: "bench-reg-4");
var ceilingCopy = await CeilingAsync(small, key => client.CopyObjectAsync(new CopyObjectRequest { SourceBucket = "bench-src", SourceKey = key, DestinationBucket = "bench-dst-aws", DestinationKey = "ceiling2/" + key, ChecksumAlgorithm = ChecksumAlgorithm.SHA256 }));
Report(copyNoMeta, ceilingCopy);

Console.WriteLine();
var awsWall = await AwsCliCopyAsync();
if (awsWall is { } aws)
{
    Console.WriteLine($"aws s3 cp --recursive (copy only, no hashes, no manifest): {aws:0.00} s for {objects} objects");
    Console.WriteLine($"  in place vs aws s3 cp:          {inPlaceSmall.Wall / aws:0.00}x  (target <= 0.5)");
    Console.WriteLine($"  copy + metadata vs aws s3 cp:   {copyMeta.Wall / aws:0.00}x  (target <= 1.1)");
}
else
{
    Console.WriteLine("aws s3 cp: the aws CLI is not available; comparison skipped.");
}

Console.WriteLine();
Console.WriteLine("scale (local store, copy none): entries  peak MB  wall s  us/entry");
foreach (var n in scales)
{
    var scaleInfo = new ProcessStartInfo(Environment.ProcessPath!, [.. Environment.GetCommandLineArgs().Skip(1).Take(Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? 1 : 0), "--scale-child", n.ToString(CultureInfo.InvariantCulture)]) { RedirectStandardOutput = true };
    ChildEnvironment.Apply(scaleInfo);
    var child = Process.Start(scaleInfo)!;
    var line = await child.StandardOutput.ReadToEndAsync();
    await child.WaitForExitAsync();
    Console.Write(line);
}

return 0;

async Task<Run> RunOursAsync(string label, string prefix, CopyMode copy, bool preserve, string reg)
{
    await client.PutBucketAsync(reg);
    var store = S3ObjectStore.FromEnvironment(options);
    var ops = new DirectQuiltOperations(new StoreProvider(new LocalObjectStore(), () => store), new PackagingOptions { Concurrency = concurrency });
    var clock = Stopwatch.StartNew();
    var result = await ops.CreateFromS3Async(new CreateFromS3Request
    {
        Source = StorageLocation.S3("bench-src", prefix), PackageName = "bench/run", TargetRegistry = StorageLocation.S3(reg), Copy = copy, PreserveMetadata = preserve, Message = label,
    });
    clock.Stop();
    return new Run(label, result.Entries, result.Requests, clock.Elapsed.TotalSeconds);
}

void Report(Run run, double ceilingRate)
{
    // Per-object requests exclude listing, the registry's pointer/manifest I/O and bucket checks (constant per run).
    var perObject = run.Requests.ByOperation.Where(p => p.Key is "GetObject" or "HeadObject" or "CopyObject" or "UploadPartCopy" or "GetObjectAttributes").Sum(p => p.Value) / (double)run.Entries;
    var ceiling = run.Requests.Total / ceilingRate;
    Console.WriteLine($"{run.Label,-32} {run.Entries,7} {run.Requests.Total,9} {perObject,11:0.00} {run.Wall,7:0.00} {ceiling,10:0.00} {run.Wall / ceiling,12:0.00}  ({string.Join(", ", run.Requests.ByOperation.Select(p => $"{p.Key} {p.Value}"))})");
}

async Task<double> CeilingAsync(IReadOnlyList<string> keys, Func<string, Task> request, bool drain = false, int requestsPerItem = 1)
{
    _ = drain;
    var clock = Stopwatch.StartNew();
    await ForEachAsync(keys, concurrency, async key =>
    {
        var task = request(key);
        await task;
        if (task is Task<GetObjectResponse> get)
        {
            using var response = await get;
            await response.ResponseStream.CopyToAsync(Stream.Null);
        }
    });
    return keys.Count * requestsPerItem / clock.Elapsed.TotalSeconds;
}

async Task<double?> AwsCliCopyAsync()
{
    try
    {
        var info = new ProcessStartInfo("aws", ["--endpoint-url", moto.Endpoint, "s3", "cp", "s3://bench-src/small/", "s3://bench-dst-aws/awscli/", "--recursive", "--only-show-errors"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        ChildEnvironment.Apply(info, new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = "bench", ["AWS_SECRET_ACCESS_KEY"] = "bench", ["AWS_DEFAULT_REGION"] = "us-east-1" });
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            Console.WriteLine("aws s3 cp failed: " + error.Trim());
            return null;
        }

        return clock.Elapsed.TotalSeconds;
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return null;
    }
}

static async Task ForEachAsync(IEnumerable<string> keys, int degree, Func<string, Task> body) =>
    await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = degree }, async (key, _) => await body(key));

static byte[] Bytes(int size, int seed)
{
    var data = new byte[size];
    new Random(seed).NextBytes(data);
    return data;
}

static async Task<int> ScaleChildAsync(int entries)
{
    var root = Directory.CreateTempSubdirectory("quilt-scale-").FullName;
    try
    {
        var source = Path.Combine(root, "src");
        for (var i = 0; i < entries; i++)
        {
            var dir = Path.Combine(source, (i / 1000).ToString("000", CultureInfo.InvariantCulture));
            if (i % 1000 == 0)
            {
                Directory.CreateDirectory(dir);
            }

            await File.WriteAllTextAsync(Path.Combine(dir, $"f{i:000000}.txt"), i.ToString(CultureInfo.InvariantCulture));
        }

        var ops = new DirectQuiltOperations(new StoreProvider(new LocalObjectStore(), () => throw new InvalidOperationException()), new PackagingOptions { Concurrency = 8 });
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var baseline = self.WorkingSet64;

        // Samples the managed heap while the run goes, by pipeline phase, so a regression shows where it grew.
        var phase = "start";
        var peaks = new Dictionary<string, long>(StringComparer.Ordinal);
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                var heap = GC.GetTotalMemory(false);
                lock (peaks)
                {
                    peaks[phase] = Math.Max(peaks.GetValueOrDefault(phase), heap);
                }

                try
                {
                    await Task.Delay(5, sampling.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        var progress = new InlineProgress(p => phase = p.Phase);
        var clock = Stopwatch.StartNew();
        var result = await ops.CreateFromS3Async(new CreateFromS3Request { Source = StorageLocation.Parse(source), PackageName = "bench/scale", TargetRegistry = StorageLocation.Local(Path.Combine(root, "reg")), Copy = CopyMode.None }, progress);
        clock.Stop();
        await sampling.CancelAsync();
        await sampler;
        self.Refresh();
        var heapPeaks = string.Join(", ", peaks.Select(p => $"{p.Key} {p.Value / (1024 * 1024)}"));
        Console.WriteLine($"{"",31}{result.Entries,8} {self.PeakWorkingSet64 / (1024 * 1024),8} {clock.Elapsed.TotalSeconds,7:0.00} {clock.Elapsed.TotalMicroseconds / entries,9:0.0}  (working set before the run {baseline / (1024 * 1024)} MB; managed heap peak MB by phase: {heapPeaks})");
        return 0;
    }
    finally
    {
        Directory.Delete(root, recursive: true);
    }
}

int Option(string name, int fallback) => OptionText(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

string? OptionText(string name)
{
    var at = argsList.IndexOf(name);
    return at >= 0 && at + 1 < argsList.Count ? argsList[at + 1] : null;
}

internal sealed record Run(string Label, long Entries, RequestCounts Requests, double Wall);

/// <summary>Reports progress on the caller's thread (Progress&lt;T&gt; would queue one work item per update).</summary>
internal sealed class InlineProgress(Action<ProgressUpdate> onReport) : IProgress<ProgressUpdate>
{
    public void Report(ProgressUpdate value) => onReport(value);
}
