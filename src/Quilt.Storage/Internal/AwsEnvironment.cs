using static Quilt.Storage.Internal.S3Mapping;

namespace Quilt.Storage.Internal;

/// <summary>The standard AWS configuration an <see cref="S3ObjectStore"/> falls back to: environment variables and the shared config file.</summary>
internal static class AwsEnvironment
{
    /// <summary>An environment variable, trimmed; null when unset or blank.</summary>
    public static string? Env(string name) => NullIfEmpty(Environment.GetEnvironmentVariable(name)?.Trim());

    /// <summary>
    /// The <c>region</c> of the active profile in the shared config file (<c>AWS_CONFIG_FILE</c>, default
    /// <c>~/.aws/config</c>), read directly: the SDK's profile store caches files process-wide.
    /// </summary>
    public static string? ProfileRegion()
    {
        var profile = Env("AWS_PROFILE") ?? Env("AWS_DEFAULT_PROFILE") ?? "default";
        var path = Env("AWS_CONFIG_FILE") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".aws", "config");
        string[] lines;
        try
        {
            lines = File.Exists(path) ? File.ReadAllLines(path) : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // an unreadable config file is the SDK's business when it resolves credentials
        }

        var wanted = profile == "default" ? new[] { "default", "profile default" } : ["profile " + profile];
        var inSection = false;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                var name = string.Join(' ', line[1..^1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
                inSection = wanted.Contains(name, StringComparer.Ordinal);
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (inSection && eq > 0 && line[..eq].Trim() == "region")
            {
                return NullIfEmpty(line[(eq + 1)..].Trim());
            }
        }

        return null;
    }
}
