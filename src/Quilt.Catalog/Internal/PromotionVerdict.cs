namespace Quilt.Catalog.Internal;

/// <summary>Whether <c>packagePromote</c> can copy a revision into its own registry, as the registry's workflow config says.</summary>
internal enum PromotionVerdict
{
    /// <summary>The config lists the registry under <c>successors</c> (and does not turn <c>copy_data</c> off).</summary>
    Allowed,

    /// <summary>The registry has no workflow config, and the registry promotes only to successors a config lists.</summary>
    NoConfig,

    /// <summary>The config does not list the registry under <c>successors</c>.</summary>
    NotASuccessor,

    /// <summary>The config lists the registry with <c>copy_data: false</c>: a promotion would not copy.</summary>
    SuccessorDoesNotCopy,

    /// <summary>The config could not be read or parsed with the user's credentials; the registry decides.</summary>
    Unknown,
}
