namespace Quilt.Testing;

/// <summary>
/// One moto_server per test assembly. Declare it with <c>[assembly: AssemblyFixture(typeof(MotoFixture))]</c> in the
/// test project that needs it and take it as a constructor parameter. Starting fails the tests loudly when moto is
/// missing (no skipping).
/// </summary>
public sealed class MotoFixture : IAsyncLifetime
{
    private MotoServer? _server;

    /// <summary>The running server.</summary>
    public MotoServer Server => _server ?? throw new InvalidOperationException("The moto fixture was not initialized.");

    /// <inheritdoc/>
    public async ValueTask InitializeAsync()
    {
        // Tests use explicit fake credentials; never let the SDK probe the EC2 instance metadata service.
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        _server = await MotoServer.StartAsync();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
