namespace QuiltMcp.ConformanceHost;

/// <summary>Small binary payloads the fixtures return.</summary>
internal static class Fixtures
{
    /// <summary>A 1x1 PNG.</summary>
    public static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");

    /// <summary>A WAV file with a header and no samples.</summary>
    public static readonly byte[] Wav = Convert.FromBase64String("UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=");
}
