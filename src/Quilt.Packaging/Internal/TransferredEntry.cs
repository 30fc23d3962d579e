using Quilt.Core.Manifests;
using Quilt.Storage;

namespace Quilt.Packaging.Internal;

/// <summary>A finished manifest entry and how it was obtained.</summary>
internal sealed record TransferredEntry(ManifestEntry Entry, HashStep Step, bool Copied);
