namespace QuiltMcp.Cli;

/// <summary>The CLI's exit codes (DESIGN.md §6).</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>The operation failed; the message is on stderr.</summary>
    public const int Failed = 1;

    /// <summary>The command line or an input value is wrong.</summary>
    public const int Usage = 2;
}
