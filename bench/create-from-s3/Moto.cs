using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace QuiltMcp.Bench.CreateFromS3;

/// <summary>Starts moto_server on a free loopback port for the benchmark and stops it at the end.</summary>
internal sealed class Moto : IDisposable
{
    private readonly Process _process;

    private Moto(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    public static async Task<Moto> StartAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var info = new ProcessStartInfo("moto_server", ["-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        Quilt.Testing.ChildEnvironment.Apply(info);
        var process = Process.Start(info) ?? throw new InvalidOperationException("moto_server could not be started");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var url = $"http://127.0.0.1:{port}";
        using var http = new HttpClient();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var response = await http.GetAsync(url + "/moto-api/").ConfigureAwait(false);
                return new Moto(process, url);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException("moto_server did not answer on " + url);
    }

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }
}
