namespace Quilt.Packaging.Contracts;

/// <summary>
/// The result of a package creation (or of its dry run): what the CLI prints with <c>--json</c> and what the MCP
/// tool returns as <c>structuredContent</c>.
/// </summary>
public sealed record PackageCreateResult
{
    /// <summary>Package name.</summary>
    public required string PackageName { get; init; }

    /// <summary>Registry URI (<c>s3://bucket</c> or <c>file:///…</c>).</summary>
    public required string Registry { get; init; }

    /// <summary>The new revision's top hash; null on a dry run.</summary>
    public string? TopHash { get; init; }

    /// <summary><c>quilt+s3://bucket#package=ns/name@tophash</c> (or <c>quilt+file://…</c>); null on a dry run.</summary>
    public string? Uri { get; init; }

    /// <summary>A catalog link when a catalog URL is configured.</summary>
    public string? CatalogUrl { get; init; }

    /// <summary>True when nothing was written.</summary>
    public bool DryRun { get; init; }

    /// <summary>Number of entries.</summary>
    public long Entries { get; init; }

    /// <summary>Sum of entry sizes.</summary>
    public long TotalBytes { get; init; }

    /// <summary>Objects copied into the target bucket.</summary>
    public long ObjectsCopied { get; init; }

    /// <summary>Objects referenced where they are.</summary>
    public long ObjectsReferenced { get; init; }

    /// <summary>How many hashes each ladder step produced (step name → count).</summary>
    public IReadOnlyDictionary<string, long> HashesByStep { get; init; } = new Dictionary<string, long>();

    /// <summary>Objects listed but left out.</summary>
    public SkippedCounts Skipped { get; init; } = new(0, 0);

    /// <summary>S3 requests made.</summary>
    public RequestCounts Requests { get; init; } = new(0, new Dictionary<string, long>());

    /// <summary>Things the caller should know that did not stop the run.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Wall time.</summary>
    public double ElapsedSeconds { get; init; }

    /// <summary>On a dry run, the planned entries (possibly truncated; see <see cref="PlanTruncated"/>).</summary>
    public IReadOnlyList<PlannedEntry>? Plan { get; init; }

    /// <summary>True when <see cref="Plan"/> lists only the first entries.</summary>
    public bool PlanTruncated { get; init; }
}
