using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Quilt.Testing;

/// <summary>
/// A real S3-compatible server for tests: <c>moto_server</c> started on a free loopback port and stopped on dispose.
/// It fails loudly (never skips) when moto cannot start, with the reason and moto's own output.
/// Buckets are made over plain HTTP, so this class needs no AWS SDK and compiles into every test project.
/// </summary>
public sealed class MotoServer : IAsyncDisposable
{
    /// <summary>Fake credentials moto accepts; never real ones, and never taken from the environment.</summary>
    public const string AccessKeyId = "moto-test-access-key";

    /// <summary>The secret that goes with <see cref="AccessKeyId"/>.</summary>
    public const string SecretAccessKey = "moto-test-secret-key-not-real";

    /// <summary>The region tests sign for.</summary>
    public const string Region = "us-east-1";

    private static int _bucketCounter;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;
    private readonly HttpClient _http;

    private MotoServer(Process process, int port, ConcurrentQueue<string> output)
    {
        _process = process;
        _output = output;
        Port = port;
        Endpoint = $"http://127.0.0.1:{port}";
        _http = new HttpClient { BaseAddress = new Uri(Endpoint), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The TCP port moto listens on.</summary>
    public int Port { get; }

    /// <summary>The endpoint URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Endpoint { get; }

    /// <summary>The last lines moto printed (for failure messages).</summary>
    public string RecentOutput => string.Join('\n', _output);

    /// <summary>Starts moto_server and waits until it answers HTTP; throws when it cannot.</summary>
    public static async Task<MotoServer> StartAsync(CancellationToken cancellationToken = default)
    {
        string? failure = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = FreePort();
            var output = new ConcurrentQueue<string>();
            Process process;
            try
            {
                process = StartProcess(port, output);
            }
            catch (Win32Exception e)
            {
                throw new InvalidOperationException(
                    $"moto_server could not be started ({e.Message}). Install it (pip install 'moto[server]') so that 'moto_server' is on PATH; the S3 tests need a real S3-compatible server.",
                    e);
            }

            var server = new MotoServer(process, port, output);
            failure = await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(60), cancellationToken);
            if (failure is null)
            {
                return server;
            }

            await server.DisposeAsync(); // e.g. the port was taken between probing and binding: try another
        }

        throw new InvalidOperationException($"moto_server did not start: {failure}");
    }

    /// <summary>Creates a bucket with a unique name (optionally versioned) and returns its name.</summary>
    public async Task<string> CreateBucketAsync(bool versioned = false, CancellationToken cancellationToken = default)
    {
        var name = $"qt-{Interlocked.Increment(ref _bucketCounter)}-{Guid.NewGuid():N}";
        using (var response = await _http.PutAsync("/" + name, content: null, cancellationToken))
        {
            await EnsureSuccessAsync(response, "create bucket " + name);
        }

        if (versioned)
        {
            using var body = new StringContent(
                "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>Enabled</Status></VersioningConfiguration>",
                Encoding.UTF8,
                "application/xml");
            using var response = await _http.PutAsync($"/{name}?versioning", body, cancellationToken);
            await EnsureSuccessAsync(response, "enable versioning on " + name);
        }

        return name;
    }

    /// <summary>Forgets every bucket and object (moto's reset API).</summary>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        using var response = await _http.PostAsync("/moto-api/reset", content: null, cancellationToken);
        await EnsureSuccessAsync(response, "reset");
    }

    /// <summary>Stops the server process.</summary>
    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or Win32Exception)
        {
            // Already gone, or refusing to die: nothing more a test can do.
        }

        _process.Dispose();
    }

    private static Process StartProcess(int port, ConcurrentQueue<string> output)
    {
        var info = new ProcessStartInfo("moto_server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-H");
        info.ArgumentList.Add("127.0.0.1");
        info.ArgumentList.Add("-p");
        info.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        ChildEnvironment.Apply(info, new Dictionary<string, string?> { ["PYTHONUNBUFFERED"] = "1" });
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };

        // moto logs every request; the pipes must be drained or it blocks. Keep the last lines for messages.
        void Keep(object? sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            output.Enqueue(e.Data);
            while (output.Count > 40 && output.TryDequeue(out _))
            {
            }
        }

        process.OutputDataReceived += Keep;
        process.ErrorDataReceived += Keep;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task<string?> WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                return $"moto_server exited with code {_process.ExitCode} on port {Port}. Output:\n{RecentOutput}";
            }

            try
            {
                using var response = await probe.GetAsync(Endpoint + "/moto-api/", cancellationToken);
                return null; // any HTTP answer means it is serving
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(100, cancellationToken);
        }

        return $"moto_server did not answer on {Endpoint} within {timeout.TotalSeconds:0} s. Output:\n{RecentOutput}";
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string what)
    {
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.NoContent))
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new InvalidOperationException($"moto could not {what}: HTTP {(int)response.StatusCode} {body}\n{RecentOutput}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
