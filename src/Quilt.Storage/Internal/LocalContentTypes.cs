namespace Quilt.Storage.Internal;

/// <summary>A content type guessed from a file extension, for local files (S3 stores the real one).</summary>
internal static class LocalContentTypes
{
    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".csv"] = "text/csv",
        [".json"] = "application/json",
        [".jsonl"] = "application/jsonl",
        [".txt"] = "text/plain",
        [".md"] = "text/markdown",
        [".html"] = "text/html",
        [".parquet"] = "application/vnd.apache.parquet",
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".yml"] = "application/yaml",
        [".yaml"] = "application/yaml",
    };

    public static string? For(string fileName) => ByExtension.GetValueOrDefault(Path.GetExtension(fileName));
}
