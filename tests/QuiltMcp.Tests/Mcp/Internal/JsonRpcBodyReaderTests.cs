using System.Text;
using Microsoft.AspNetCore.Http;
using ModelContextProtocol.Protocol;
using QuiltMcp.Mcp.Internal;

namespace QuiltMcp.Tests.Mcp.Internal;

public sealed class JsonRpcBodyReaderTests
{
    [Fact]
    public async Task ReadAsync_OneRequest_ReturnsIt()
    {
        var body = await ReadAsync("""{"jsonrpc":"2.0","id":"a-1","method":"tools/call","params":{"name":"package_list"}}""");

        body.IsRefused.ShouldBeFalse();
        var request = body.Message.ShouldBeOfType<JsonRpcRequest>();
        request.Method.ShouldBe("tools/call");
        request.Id.ToString().ShouldBe("a-1");
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","method":"notifications/initialized"}""", typeof(JsonRpcNotification))]
    [InlineData("""{"jsonrpc":"2.0","id":5,"result":{}}""", typeof(JsonRpcResponse))]
    [InlineData("""{"jsonrpc":"2.0","id":5,"error":{"code":-1,"message":"no"}}""", typeof(JsonRpcError))]
    public async Task ReadAsync_NotificationOrResponse_ReturnsIt(string json, Type expected)
    {
        var body = await ReadAsync(json);

        body.Message.ShouldNotBeNull().GetType().ShouldBe(expected);
    }

    [Fact]
    public async Task ReadAsync_ContentLengthOverLimit_Is413WithoutReading()
    {
        var context = new DefaultHttpContext();
        context.Request.ContentLength = 11;
        context.Request.Body = new ThrowingStream();

        var body = await JsonRpcBodyReader.ReadAsync(context.Request, 10, TestContext.Current.CancellationToken);

        body.Status.ShouldBe(StatusCodes.Status413PayloadTooLarge);
        body.Error.ShouldNotBeNull().ShouldContain("at most 10 bytes");
    }

    [Fact]
    public async Task ReadAsync_BodyWithoutLengthOverLimit_Is413()
    {
        var json = """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"pad":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}}""";

        var body = await ReadAsync(json, maxBytes: json.Length - 1, sendLength: false);

        body.Status.ShouldBe(StatusCodes.Status413PayloadTooLarge);
        body.Code.ShouldBe(-32600);
    }

    [Fact]
    public async Task ReadAsync_BodyWithoutLengthAtLimit_IsRead()
    {
        var json = """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""";

        var body = await ReadAsync(json, maxBytes: json.Length, sendLength: false);

        body.Message.ShouldBeOfType<JsonRpcRequest>();
    }

    [Fact]
    public async Task ReadAsync_ServerRefusesTheBodySize_Is413()
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new ThrowingStream(new BadHttpRequestException("too big", StatusCodes.Status413PayloadTooLarge));

        var body = await JsonRpcBodyReader.ReadAsync(context.Request, cancellationToken: TestContext.Current.CancellationToken);

        body.Status.ShouldBe(StatusCodes.Status413PayloadTooLarge);
    }

    [Fact]
    public async Task ReadAsync_OtherBadHttpRequest_IsLeftToTheServer()
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new ThrowingStream(new BadHttpRequestException("bad chunk", StatusCodes.Status400BadRequest));

        await Should.ThrowAsync<BadHttpRequestException>(() => JsonRpcBodyReader.ReadAsync(context.Request, cancellationToken: TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""[{"jsonrpc":"2.0","id":1,"method":"ping"}]""")]
    [InlineData("""[1, 2, 3]""")]
    public async Task ReadAsync_Array_IsRefusedAsBatch(string json)
    {
        var body = await ReadAsync(json);

        body.Status.ShouldBe(StatusCodes.Status400BadRequest);
        body.Code.ShouldBe(-32600);
        body.Error.ShouldNotBeNull().ShouldContain("batches");
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"jsonrpc\":\"2.0\",}")]
    [InlineData("\u00e9t\u00e9")]
    public async Task ReadAsync_NotJson_IsParseError(string json)
    {
        var body = await ReadAsync(json);

        body.Status.ShouldBe(StatusCodes.Status400BadRequest);
        body.Code.ShouldBe(-32700);
    }

    [Fact]
    public async Task ReadAsync_TooDeep_IsParseError()
    {
        var json = """{"jsonrpc":"2.0","id":1,"method":"ping","params":""" + new string('[', 200) + new string(']', 200) + "}";

        var body = await ReadAsync(json);

        body.Code.ShouldBe(-32700);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("\"text\"")]
    [InlineData("{}")]
    [InlineData("""{"id":1,"method":"ping"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":{"nested":true},"method":"ping"}""")]
    public async Task ReadAsync_JsonNotJsonRpc_IsInvalidRequest(string json)
    {
        var body = await ReadAsync(json);

        body.IsRefused.ShouldBeTrue();
        body.Status.ShouldBe(StatusCodes.Status400BadRequest);
        body.Code.ShouldBe(-32600);
    }

    private static async Task<JsonRpcBody> ReadAsync(string json, long maxBytes = JsonRpcBodyReader.MaxBodyBytes, bool sendLength = true)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = sendLength ? bytes.Length : null;
        return await JsonRpcBodyReader.ReadAsync(context.Request, maxBytes, TestContext.Current.CancellationToken);
    }

    private sealed class ThrowingStream(Exception? error = null) : MemoryStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw error ?? new InvalidOperationException("The body must not be read.");

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            throw error ?? new InvalidOperationException("The body must not be read.");
    }
}
