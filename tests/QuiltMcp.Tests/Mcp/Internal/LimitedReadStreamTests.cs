using QuiltMcp.Mcp.Internal;

namespace QuiltMcp.Tests.Mcp.Internal;

public sealed class LimitedReadStreamTests
{
    [Fact]
    public async Task ReadAsync_UpToTheLimit_ReturnsEverything()
    {
        using var stream = new LimitedReadStream(new MemoryStream(new byte[100]), 100);

        var copy = new MemoryStream();
        await stream.CopyToAsync(copy, TestContext.Current.CancellationToken);

        copy.Length.ShouldBe(100);
        stream.Position.ShouldBe(100);
    }

    [Fact]
    public async Task ReadAsync_PastTheLimit_Throws()
    {
        using var stream = new LimitedReadStream(new MemoryStream(new byte[101]), 100);

        await Should.ThrowAsync<BodyTooLargeException>(() => stream.CopyToAsync(Stream.Null, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Read_PastTheLimit_Throws()
    {
        using var stream = new LimitedReadStream(new MemoryStream(new byte[10]), 4);
        var buffer = new byte[4];

        stream.Read(buffer, 0, 4).ShouldBe(4);
        Should.Throw<BodyTooLargeException>(() => stream.Read(buffer, 0, 4));
    }

    [Fact]
    public async Task ReadAsync_ArrayOverload_CountsToo()
    {
        using var stream = new LimitedReadStream(new MemoryStream(new byte[10]), 4);
        var buffer = new byte[8];

        await Should.ThrowAsync<BodyTooLargeException>(() => stream.ReadAsync(buffer, 0, 8, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Stream_IsReadOnlyAndForwardOnly()
    {
        using var stream = new LimitedReadStream(new MemoryStream(), 1);

        stream.CanRead.ShouldBeTrue();
        stream.CanSeek.ShouldBeFalse();
        stream.CanWrite.ShouldBeFalse();
        Should.Throw<NotSupportedException>(() => stream.Length);
        Should.Throw<NotSupportedException>(() => stream.Position = 0);
        Should.Throw<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Should.Throw<NotSupportedException>(() => stream.SetLength(1));
        Should.Throw<NotSupportedException>(() => stream.Write([1], 0, 1));
        stream.Flush();
    }

    [Fact]
    public void BodyTooLargeException_Constructors_KeepMessageAndCause()
    {
        var inner = new IOException("inner");

        new BodyTooLargeException().Message.ShouldNotBeNullOrWhiteSpace();
        new BodyTooLargeException("m").Message.ShouldBe("m");
        new BodyTooLargeException("m", inner).InnerException.ShouldBeSameAs(inner);
    }
}
