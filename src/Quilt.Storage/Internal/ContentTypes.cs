namespace Quilt.Storage.Internal;

/// <summary>A small extension → media type map for local files, which carry no content type of their own.</summary>
internal static class ContentTypes
{
    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".txt"] = "text/plain",
        [".md"] = "text/markdown",
        [".csv"] = "text/csv",
        [".tsv"] = "text/tab-separated-values",
        [".html"] = "text/html",
        [".htm"] = "text/html",
        [".css"] = "text/css",
        [".js"] = "text/javascript",
        [".json"] = "application/json",
        [".jsonl"] = "application/jsonl",
        [".xml"] = "application/xml",
        [".yaml"] = "application/yaml",
        [".yml"] = "application/yaml",
        [".pdf"] = "application/pdf",
        [".zip"] = "application/zip",
        [".gz"] = "application/gzip",
        [".tar"] = "application/x-tar",
        [".parquet"] = "application/vnd.apache.parquet",
        [".npy"] = "application/octet-stream",
        [".bin"] = "application/octet-stream",
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif",
        [".svg"] = "image/svg+xml",
        [".tif"] = "image/tiff",
        [".tiff"] = "image/tiff",
        [".webp"] = "image/webp",
        [".mp4"] = "video/mp4",
        [".mp3"] = "audio/mpeg",
        [".wav"] = "audio/wav",
        [".ipynb"] = "application/x-ipynb+json",
    };

    /// <summary>The media type for <paramref name="key"/>'s extension, or null when unknown.</summary>
    public static string? Guess(string key)
    {
        var slash = key.LastIndexOf('/');
        var dot = key.LastIndexOf('.');
        if (dot <= slash + 1)
        {
            return null; // no extension, or a dot-file such as ".env"
        }

        return ByExtension.TryGetValue(key[dot..], out var type) ? type : null;
    }
}
