namespace QuiltMcp.Tests.Mcp;

/// <summary>One scenario's line of the conformance suite's summary, with the whole run's output for messages.</summary>
internal sealed record ScenarioResult(bool Succeeded, int ChecksPassed, int ChecksFailed, string Output)
{
    public bool Passed => Succeeded && ChecksFailed == 0;

    public override string ToString() => $"{(Passed ? "passed" : "FAILED")} ({ChecksPassed} checks passed, {ChecksFailed} failed)";
}
