using Quilt.Packaging.Contracts;
using Quilt.Testing;

namespace Quilt.Packaging.Tests.Faults;

/// <summary>
/// Cancellation while 32 copies or a multipart copy are in flight, and during the commit, at the default concurrency (32) against moto, in versioned and unversioned registries that hold a prior
/// revision: afterwards every object version, delete marker and open upload of the registry is as before the run (or
/// the run committed cleanly, where the scenario allows it), and the error says truthfully what was left.
/// </summary>
public sealed class CancellationFaultTests(MotoFixture moto)
{
    public static TheoryData<string, bool, CopyMode> Cases => FaultScenario.Rows("cancellation");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task CreateFromS3_FaultInjected_RegistryUnchangedOrCleanlyCommitted(string scenario, bool versioned, CopyMode copy)
    {
        using var bench = await FaultBench.StartAsync(moto.Server, versioned);
        await bench.RunScenarioAsync(FaultScenario.Named(scenario), copy);
    }
}
