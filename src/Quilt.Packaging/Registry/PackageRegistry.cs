using System.Globalization;
using System.Text;
using Quilt.Core.Errors;
using Quilt.Core.Manifests;
using Quilt.Core.Naming;
using Quilt.Packaging.Contracts;
using Quilt.Storage;

namespace Quilt.Packaging.Registry;

/// <summary>
/// A Quilt registry in the V1 layout (quilt-format §5.1) over any object store: manifests at
/// <c>.quilt/packages/&lt;tophash&gt;</c>, pointers at <c>.quilt/named_packages/&lt;ns&gt;/&lt;name&gt;/&lt;unix-seconds&gt;</c> and
/// <c>latest</c>, holding exactly 64 lowercase hex characters with no newline.
/// </summary>
public sealed class PackageRegistry
{
    /// <summary>The folder of manifests.</summary>
    public const string PackagesPrefix = ".quilt/packages/";

    /// <summary>The folder of named pointers.</summary>
    public const string NamedPackagesPrefix = ".quilt/named_packages/";

    /// <summary>The folder of scratch multipart uploads started (and always aborted) to hash objects in place.</summary>
    public const string ScratchHashPrefix = ".quilt/tmp/hash/";

    /// <summary>The workflows configuration key.</summary>
    public const string WorkflowConfigKey = ".quilt/workflows/config.yml";

    /// <summary>Creates a registry view over <paramref name="bucket"/> of <paramref name="store"/>.</summary>
    public PackageRegistry(IObjectStore store, string bucket, string uri)
    {
        Store = store;
        Bucket = bucket;
        Uri = uri;
    }

    /// <summary>The store holding the registry.</summary>
    public IObjectStore Store { get; }

    /// <summary>Bucket name or folder path.</summary>
    public string Bucket { get; }

    /// <summary>The registry's URI (<c>s3://bucket</c> or <c>file:///…</c>).</summary>
    public string Uri { get; }

    /// <summary>Key of the manifest of a revision.</summary>
    public static string ManifestKey(string topHash) => PackagesPrefix + topHash;

    /// <summary>Key of a pointer of a package.</summary>
    public static string PointerKey(PackageName name, string pointer)
    {
        ArgumentNullException.ThrowIfNull(name);
        return $"{NamedPackagesPrefix}{name.Namespace}/{name.Name}/{pointer}";
    }

    /// <summary>Whether a string is a full top hash: 64 lowercase hex characters.</summary>
    public static bool IsTopHash(string? value) =>
        value is { Length: 64 } && value.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    /// <summary>The top hash <c>latest</c> points to, or null when the package has none.</summary>
    public async Task<string?> ReadLatestAsync(PackageName name, CancellationToken cancellationToken = default) =>
        await ReadPointerAsync(name, "latest", cancellationToken).ConfigureAwait(false);

    /// <summary>Reads a pointer; null when it does not exist; an integrity error when it is not a bare top hash.</summary>
    public async Task<string?> ReadPointerAsync(PackageName name, string pointer, CancellationToken cancellationToken = default)
    {
        var bytes = await Store.TryReadAllBytesAsync(new ObjectLocation(Bucket, PointerKey(name, pointer)), cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return null;
        }

        var text = Encoding.ASCII.GetString(bytes);
        if (!IsTopHash(text))
        {
            throw QuiltException.Integrity(
                $"The pointer {PointerKey(name, pointer)} in {Uri} does not hold a top hash (64 lowercase hex characters, no newline).",
                "Rewrite the pointer with the revision's top hash.");
        }

        return text;
    }

    /// <summary>Reads and checks a manifest: it must exist, parse, and hash to its own name.</summary>
    public async Task<Manifest> ReadManifestAsync(string topHash, CancellationToken cancellationToken = default)
    {
        var bytes = await Store.TryReadAllBytesAsync(new ObjectLocation(Bucket, ManifestKey(topHash)), cancellationToken).ConfigureAwait(false)
            ?? throw QuiltException.NotFound(
                $"The manifest {ManifestKey(topHash)} does not exist in {Uri}.",
                "The revision may have been deleted or the pointer is wrong; list the package's revisions.");
        Manifest manifest;
        try
        {
            manifest = ManifestReader.Read(bytes);
        }
        catch (QuiltException e)
        {
            throw QuiltException.Integrity($"The manifest {ManifestKey(topHash)} in {Uri} is malformed: {e.Message}", e.Hint, e);
        }

        var actual = manifest.ComputeTopHash();
        if (!string.Equals(actual, topHash, StringComparison.Ordinal))
        {
            throw QuiltException.Integrity($"The manifest {ManifestKey(topHash)} in {Uri} hashes to {actual}, not to its name.", "The manifest was edited or corrupted.");
        }

        return manifest;
    }

    /// <summary>
    /// Resolves a revision of a package: <c>latest</c> when <paramref name="hashOrPrefix"/> is null, a full hash as is
    /// (it must be a revision of this package), or a unique prefix of at least 6 characters among the package's revisions.
    /// </summary>
    public async Task<string> ResolveTopHashAsync(PackageName name, string? hashOrPrefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (string.IsNullOrEmpty(hashOrPrefix) || hashOrPrefix == "latest")
        {
            return await ReadLatestAsync(name, cancellationToken).ConfigureAwait(false)
                ?? throw QuiltException.NotFound($"Package {name} does not exist in {Uri}.", "List the registry's packages to check the name.");
        }

        var wanted = hashOrPrefix.ToLowerInvariant();
        if (wanted.Length < 6 || wanted.Length > 64 || !wanted.All(char.IsAsciiHexDigit))
        {
            throw QuiltException.InvalidInput($"'{hashOrPrefix}' is not a top hash or a prefix of one (6 to 64 hex characters).");
        }

        if (wanted.Length == 64)
        {
            return wanted; // A full hash is used as is (quilt3); reading the manifest checks that it exists.
        }

        // Like quilt3, a prefix is resolved among all manifests of the registry.
        var matches = new List<string>();
        await foreach (var obj in Store.ListAsync(Bucket, PackagesPrefix + wanted, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            matches.Add(obj.Key[PackagesPrefix.Length..]);
        }

        return matches.Count switch
        {
            1 => matches[0],
            0 => throw QuiltException.NotFound($"Registry {Uri} has no revision {hashOrPrefix} (package {name}).", "Run list or browse to see its revisions."),
            _ => throw QuiltException.InvalidInput($"'{hashOrPrefix}' matches {matches.Count} revisions of {name}.", "Give more characters of the top hash."),
        };
    }

    /// <summary>The timestamped revisions of a package, newest first (the <c>latest</c> pointer is not included).</summary>
    public async Task<IReadOnlyList<(string Pointer, string TopHash)>> ListRevisionsAsync(PackageName name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var prefix = $"{NamedPackagesPrefix}{name.Namespace}/{name.Name}/";
        var pointers = new List<string>();
        await foreach (var obj in Store.ListAsync(Bucket, prefix, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var pointer = obj.Key[prefix.Length..];
            if (pointer.Length > 0 && !pointer.Contains('/', StringComparison.Ordinal) && pointer != "latest")
            {
                pointers.Add(pointer);
            }
        }

        var result = new List<(string, string)>();
        foreach (var pointer in pointers.OrderByDescending(p => p, StringComparer.Ordinal))
        {
            var hash = await ReadPointerAsync(name, pointer, cancellationToken).ConfigureAwait(false);
            if (hash is not null)
            {
                result.Add((pointer, hash));
            }
        }

        return result;
    }

    /// <summary>Every package in the registry with its latest revision.</summary>
    public async Task<IReadOnlyList<PackageSummary>> ListPackagesAsync(CancellationToken cancellationToken = default)
    {
        var pointers = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        await foreach (var obj in Store.ListAsync(Bucket, NamedPackagesPrefix, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var parts = obj.Key[NamedPackagesPrefix.Length..].Split('/');
            if (parts.Length != 3 || parts[2].Length == 0)
            {
                continue;
            }

            var packageName = parts[0] + "/" + parts[1];
            if (!pointers.TryGetValue(packageName, out var list))
            {
                pointers[packageName] = list = [];
            }

            list.Add(parts[2]);
        }

        var result = new List<PackageSummary>();
        foreach (var (packageName, list) in pointers)
        {
            if (!PackageName.TryParse(packageName, out var name))
            {
                continue;
            }

            var latest = list.Contains("latest") ? await ReadLatestAsync(name!, cancellationToken).ConfigureAwait(false) : null;
            var stamps = list.Where(p => p != "latest" && long.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)).ToList();
            DateTimeOffset? newest = stamps.Count == 0
                ? null
                : DateTimeOffset.FromUnixTimeSeconds(stamps.Max(s => long.Parse(s, CultureInfo.InvariantCulture)));
            result.Add(new PackageSummary(packageName, latest, list.Count(p => p != "latest"), newest));
        }

        return result;
    }

    /// <summary>
    /// What <c>latest</c> names and the ETag it has, read HEAD first so that a later write conditioned on that ETag fails
    /// if the pointer changed at any moment after the read; (null, null) when the package has no <c>latest</c>.
    /// </summary>
    public async Task<(string? TopHash, string? ETag)> ReadLatestForUpdateAsync(PackageName name, CancellationToken cancellationToken = default)
    {
        ObjectMetadata head;
        try
        {
            head = await Store.HeadAsync(new ObjectLocation(Bucket, PointerKey(name, "latest")), cancellationToken).ConfigureAwait(false);
        }
        catch (QuiltException e) when (e.Kind == QuiltErrorKind.NotFound)
        {
            return (null, null);
        }

        return (await ReadLatestAsync(name, cancellationToken).ConfigureAwait(false), head.ETag);
    }

    /// <summary>Writes a manifest only if none exists under its top hash (a refusal means it is there already, written by another run).</summary>
    public async Task<WrittenObject> CreateManifestAsync(string topHash, ReadOnlyMemory<byte> manifestBytes, CancellationToken cancellationToken = default) =>
        await Store.PutAsync(new ObjectLocation(Bucket, ManifestKey(topHash)), manifestBytes, new PutOptions { ContentType = "application/jsonl", IfNoneMatch = true }, cancellationToken).ConfigureAwait(false);

    /// <summary>Writes a pointer under conditions (create-only, or only while it has an ETag): exactly the 64 hex characters.</summary>
    public async Task<WrittenObject> WritePointerAsync(PackageName name, string pointer, string topHash, PutOptions options, CancellationToken cancellationToken = default)
    {
        if (!IsTopHash(topHash))
        {
            throw new ArgumentException("A pointer must hold a full top hash.", nameof(topHash));
        }

        ArgumentNullException.ThrowIfNull(options);
        return await Store.PutAsync(new ObjectLocation(Bucket, PointerKey(name, pointer)), Encoding.ASCII.GetBytes(topHash), options with { ContentType = "text/plain" }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the workflows configuration, if the registry has one: its text and its URL (with version id on versioned buckets).</summary>
    public async Task<(string Text, string Url)?> ReadWorkflowConfigAsync(CancellationToken cancellationToken = default)
    {
        var location = new ObjectLocation(Bucket, WorkflowConfigKey);
        ObjectMetadata head;
        try
        {
            head = await Store.HeadAsync(location, cancellationToken).ConfigureAwait(false);
        }
        catch (QuiltException e) when (e.Kind == QuiltErrorKind.NotFound)
        {
            return null;
        }

        var bytes = await Store.TryReadAllBytesAsync(head.Location, cancellationToken).ConfigureAwait(false);
        return bytes is null ? null : (Encoding.UTF8.GetString(bytes), Store.ToPhysicalKey(head.Location));
    }
}
