using Quilt.Core.Errors;

namespace Quilt.Core.Naming;

/// <summary>
/// The rules for logical keys, the paths of entries inside a package (quilt-format §5.4): non-empty, no
/// trailing <c>/</c>, and no path segment that is empty, <c>.</c> or <c>..</c> (so no leading <c>/</c> and no
/// <c>//</c>). Every other character is allowed. quilt3 refuses keys that break these rules, and a key such as
/// <c>a/../b</c> would escape the package folder on install.
/// </summary>
public static class LogicalKeys
{
    /// <summary>Throws when <paramref name="key"/> is not a valid logical key.</summary>
    /// <param name="key">The key to check.</param>
    /// <exception cref="QuiltException">The key breaks a rule (kind InvalidInput); the message names the key and the rule.</exception>
    public static void Validate(string key)
    {
        var violation = GetViolation(key);
        if (violation is not null)
        {
            throw QuiltException.InvalidInput(
                $"Invalid logical key '{key}': {violation}.",
                "Logical keys are relative paths like 'dir/file.csv': not empty, no leading or trailing '/', no '//', no '.' or '..' segments.");
        }
    }

    /// <summary>Whether <paramref name="key"/> is a valid logical key.</summary>
    /// <param name="key">The key to check; null is invalid.</param>
    public static bool IsValid(string? key) => key is not null && GetViolation(key) is null;

    /// <summary>The rule <paramref name="key"/> breaks, as a short phrase, or null when it is valid.</summary>
    /// <param name="key">The key to check.</param>
    public static string? GetViolation(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0)
        {
            return "it is empty";
        }

        if (key[^1] == '/')
        {
            return "it ends with '/' (that names a directory, not a file)";
        }

        foreach (var range in key.AsSpan().Split('/'))
        {
            var segment = key.AsSpan()[range];
            if (segment.IsEmpty)
            {
                return key[0] == '/' ? "it starts with '/'" : "it contains an empty path segment ('//')";
            }

            if (segment is "." or "..")
            {
                return $"it contains a '{segment}' path segment";
            }
        }

        return null;
    }
}
