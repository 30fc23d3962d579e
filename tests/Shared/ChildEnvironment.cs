using System.Collections;
using System.Diagnostics;

namespace Quilt.Testing;

/// <summary>
/// The environment of every process a test starts (quilt-mcp, moto_server, python3): the parent's variables without
/// any <c>AWS_*</c> or <c>QUILT_*</c> one, the AWS shared config and credentials files pointed at paths that do not
/// exist (so <c>~/.aws</c> of whoever runs the tests is never read), instance metadata disabled, optionally a state
/// folder of the test's own for <c>QUILT_MCP_STATE_DIR</c>, and then exactly the variables the test passes. A test
/// therefore behaves the same whatever the caller exported (<c>AWS_ENDPOINT_URL</c>, <c>AWS_PROFILE</c>, …).
/// </summary>
public static class ChildEnvironment
{
    /// <summary>A shared AWS config file that does not exist (the SDK then has no profiles).</summary>
    public static readonly string NoConfigFile = Path.Combine(Path.GetTempPath(), "quilt-tests-no-aws-" + Guid.NewGuid().ToString("N"), "config");

    /// <summary>A shared AWS credentials file that does not exist.</summary>
    public static readonly string NoCredentialsFile = Path.Combine(Path.GetDirectoryName(NoConfigFile)!, "credentials");

    private static readonly Lazy<string> StateRoot = new(CreateStateRoot, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Whether a variable of the parent is removed: every <c>AWS_*</c> and <c>QUILT_*</c> one.</summary>
    public static bool IsScrubbed(string name) =>
        name.StartsWith("AWS_", StringComparison.OrdinalIgnoreCase) || name.StartsWith("QUILT_", StringComparison.OrdinalIgnoreCase);

    /// <summary>A new, empty state folder for one child (deleted when the test process exits).</summary>
    public static string NewStateDirectory() => Directory.CreateDirectory(Path.Combine(StateRoot.Value, "state-" + Guid.NewGuid().ToString("N"))).FullName;

    /// <summary>
    /// The complete environment of a child: <paramref name="parent"/> (default: this process's environment) scrubbed,
    /// the isolation defaults, <c>QUILT_MCP_STATE_DIR</c> when <paramref name="stateDirectory"/> is given, then
    /// <paramref name="variables"/> (a null value removes the variable). Pass it with inheritance turned off.
    /// </summary>
    public static Dictionary<string, string?> Build(
        IEnumerable<KeyValuePair<string, string?>>? variables = null, string? stateDirectory = null, IEnumerable<KeyValuePair<string, string?>>? parent = null)
    {
        var environment = new Dictionary<string, string?>(parent ?? Current(), StringComparer.Ordinal);
        Scrub(environment, variables, stateDirectory);
        return environment.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }

    /// <summary>Applies the same to a start info, whose environment starts as the parent's (or what a test put there).</summary>
    public static void Apply(ProcessStartInfo info, IEnumerable<KeyValuePair<string, string?>>? variables = null, string? stateDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(info);
        Scrub(info.Environment, variables, stateDirectory);
        foreach (var name in info.Environment.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            info.Environment.Remove(name);
        }
    }

    private static void Scrub(IDictionary<string, string?> environment, IEnumerable<KeyValuePair<string, string?>>? variables, string? stateDirectory)
    {
        foreach (var name in environment.Keys.Where(IsScrubbed).ToList())
        {
            environment.Remove(name);
        }

        environment["AWS_CONFIG_FILE"] = NoConfigFile;
        environment["AWS_SHARED_CREDENTIALS_FILE"] = NoCredentialsFile;
        environment["AWS_EC2_METADATA_DISABLED"] = "true";
        if (stateDirectory is not null)
        {
            environment["QUILT_MCP_STATE_DIR"] = stateDirectory;
        }

        foreach (var (name, value) in variables ?? [])
        {
            environment[name] = value;
        }
    }

    private static Dictionary<string, string?> Current()
    {
        var current = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            current[(string)entry.Key] = entry.Value as string;
        }

        return current;
    }

    private static string CreateStateRoot()
    {
        var root = Directory.CreateTempSubdirectory($"quilt-tests-{Environment.ProcessId}-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A child still writing, or already gone: the temp folder is the OS's to clean.
            }
        };
        return root;
    }
}
