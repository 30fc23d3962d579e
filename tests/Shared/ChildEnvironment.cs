using System.Collections;
using System.Diagnostics;

namespace Quilt.Testing;

/// <summary>
/// The environment of every child process a test starts (quilt-mcp, moto_server, python helpers): nothing of the
/// caller's AWS or Quilt settings gets through, so that a developer's <c>AWS_ENDPOINT_URL</c>, profile or
/// <c>QUILT_*</c> variables cannot change what a test sees. Each child gets only what the test passes.
/// </summary>
public static class ChildEnvironment
{
    private static readonly string[] ScrubbedPrefixes = ["AWS_", "QUILT_"];

    /// <summary>
    /// Changes to apply over the inherited environment: every inherited <c>AWS_*</c> and <c>QUILT_*</c> variable removed
    /// (a null value), the AWS shared files pointed at nothing, instance metadata off, run journals in a fresh temporary
    /// folder; then <paramref name="variables"/>.
    /// </summary>
    public static Dictionary<string, string?> For(IEnumerable<KeyValuePair<string, string?>>? variables = null)
    {
        var changes = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (ScrubbedPrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            {
                changes[name] = null;
            }
        }

        var nowhere = Path.Combine(Path.GetTempPath(), "quilt-tests-no-aws-config");
        changes["AWS_CONFIG_FILE"] = Path.Combine(nowhere, "config");
        changes["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(nowhere, "credentials");
        changes["AWS_EC2_METADATA_DISABLED"] = "true";
        changes["QUILT_MCP_STATE_DIR"] = Path.Combine(Path.GetTempPath(), "quilt-tests-state-" + Guid.NewGuid().ToString("N"));
        foreach (var (name, value) in variables ?? [])
        {
            changes[name] = value;
        }

        return changes;
    }

    /// <summary>
    /// Applies <see cref="For"/> to a process about to start, scrubbing also what its environment block already holds
    /// (a copy of this process's, plus anything set on it before).
    /// </summary>
    public static void ApplyTo(ProcessStartInfo info, IEnumerable<KeyValuePair<string, string?>>? variables = null)
    {
        ArgumentNullException.ThrowIfNull(info);
        foreach (var name in info.Environment.Keys.Where(k => ScrubbedPrefixes.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in For(variables))
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }
    }
}
