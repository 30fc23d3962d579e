using Quilt.Packaging.Contracts;
using Quilt.Testing;

namespace Quilt.Packaging.Tests.Faults;

/// <summary>
/// Faults before and during the read phase (source listing, HEAD and GET of source objects, in-place hashing of large objects), at the default concurrency (32) against moto, in versioned and unversioned registries that hold a prior
/// revision: afterwards every object version, delete marker and open upload of the registry is as before the run (or
/// the run committed cleanly, where the scenario allows it), and the error says truthfully what was left.
/// </summary>
public sealed class ReadFaultTests(MotoFixture moto)
{
    public static TheoryData<string, bool, CopyMode> Cases => FaultScenario.Rows("listing");

    public static TheoryData<string, bool, CopyMode> HashingCases => FaultScenario.Rows("hashing");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task CreateFromS3_FaultInjected_RegistryUnchangedOrCleanlyCommitted(string scenario, bool versioned, CopyMode copy)
    {
        using var bench = await FaultBench.StartAsync(moto.Server, versioned);
        await bench.RunScenarioAsync(FaultScenario.Named(scenario), copy);
    }

    [Theory]
    [MemberData(nameof(HashingCases))]
    public async Task CreateFromS3_HashingFaultInjected_RegistryUnchangedOrCleanlyCommitted(string scenario, bool versioned, CopyMode copy)
    {
        using var bench = await FaultBench.StartAsync(moto.Server, versioned);
        await bench.RunScenarioAsync(FaultScenario.Named(scenario), copy);
    }
}
