using Quilt.Storage.Internal;

namespace Quilt.Storage.Tests.Internal;

public sealed class ContentTypesTests
{
    [Theory]
    [InlineData("a/b/table.csv", "text/csv")]
    [InlineData("X.JSON", "application/json")]
    [InlineData("notes.md", "text/markdown")]
    [InlineData("img.jpeg", "image/jpeg")]
    [InlineData("data.parquet", "application/vnd.apache.parquet")]
    [InlineData("archive.tar.gz", "application/gzip")]
    [InlineData("no-extension", null)]
    [InlineData(".env", null)]
    [InlineData("dir.d/file", null)]
    [InlineData("dir/.hidden", null)]
    [InlineData("weird.xyz123", null)]
    public void Guess_ByExtension(string key, string? expected) => ContentTypes.Guess(key).ShouldBe(expected);
}
