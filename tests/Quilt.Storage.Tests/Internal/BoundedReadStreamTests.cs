#pragma warning disable CA1835 // the array overload is what this test covers
using Quilt.Storage.Internal;

namespace Quilt.Storage.Tests.Internal;

public sealed class BoundedReadStreamTests
{
    [Fact]
    public void Read_Synchronously_StopsAtTheBoundAndDisposesOwner()
    {
        var owner = new Owner();
        var stream = new BoundedReadStream(new MemoryStream([1, 2, 3, 4, 5]), 3, owner);
        var buffer = new byte[10];

        var first = stream.Read(buffer, 0, 2);
        var second = stream.Read(buffer, 2, 8);
        var third = stream.Read(buffer, 0, 8);
        stream.Flush();
        stream.Dispose();

        (first, second, third).ShouldBe((2, 1, 0));
        buffer[..3].ShouldBe(new byte[] { 1, 2, 3 });
        owner.Disposed.ShouldBeTrue();
    }

    [Fact]
    public void UnsupportedMembers_Throw()
    {
        using var stream = new BoundedReadStream(new MemoryStream([1]), 1);

        Should.Throw<NotSupportedException>(() => stream.Length);
        Should.Throw<NotSupportedException>(() => stream.Position);
        Should.Throw<NotSupportedException>(() => stream.Position = 1);
        Should.Throw<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Should.Throw<NotSupportedException>(() => stream.SetLength(1));
        Should.Throw<NotSupportedException>(() => stream.Write([1], 0, 1));
    }

    [Fact]
    public async Task ReadAsync_ArrayOverload_RespectsTheBound()
    {
        await using var stream = new BoundedReadStream(new MemoryStream([9, 8, 7]), 2);
        var buffer = new byte[4];

        var n = await ((Stream)stream).ReadAsync(buffer, 0, 4, TestContext.Current.CancellationToken);
        var end = await ((Stream)stream).ReadAsync(buffer, 0, 4, TestContext.Current.CancellationToken);

        (n, end).ShouldBe((2, 0));
    }

    private sealed class Owner : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
