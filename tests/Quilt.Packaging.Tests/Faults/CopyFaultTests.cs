using Quilt.Packaging.Contracts;
using Quilt.Testing;

namespace Quilt.Packaging.Tests.Faults;

/// <summary>
/// Faults while copies run 32 at a time: refused, reset and answer-lost copies, multipart copies failing mid-way, and a throttling storm, at the default concurrency (32) against moto, in versioned and unversioned registries that hold a prior
/// revision: afterwards every object version, delete marker and open upload of the registry is as before the run (or
/// the run committed cleanly, where the scenario allows it), and the error says truthfully what was left.
/// </summary>
public sealed class CopyFaultTests(MotoFixture moto)
{
    public static TheoryData<string, bool, CopyMode> Cases => FaultScenario.Rows("copying");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task CreateFromS3_FaultInjected_RegistryUnchangedOrCleanlyCommitted(string scenario, bool versioned, CopyMode copy)
    {
        using var bench = await FaultBench.StartAsync(moto.Server, versioned);
        await bench.RunScenarioAsync(FaultScenario.Named(scenario), copy);
    }
}
