using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Quilt.Storage.Tests.Fakes;

/// <summary>
/// Sits between the SDK and moto (via <see cref="S3StoreOptions.HttpHandlerWrapper"/>): records every request that
/// reaches the wire by operation, and answers or fails chosen ones the way S3 would (503 SlowDown, 500, 403, resets).
/// </summary>
internal sealed class FaultInjectingHandler : DelegatingHandler
{
    private readonly List<Rule> _rules = [];
    private readonly ConcurrentQueue<string> _seen = new();

    public FaultInjectingHandler(HttpMessageHandler inner)
        : base(inner)
    {
    }

    /// <summary>Every operation that was sent, in order (including ones a rule answered).</summary>
    public IReadOnlyList<string> Seen => [.. _seen];

    public int CountOf(string operation) => _seen.Count(o => o == operation);

    /// <summary>Answers the next <paramref name="times"/> requests of <paramref name="operation"/> with an S3 error.</summary>
    public FaultInjectingHandler Fail(string operation, int times, HttpStatusCode status, string code, string message = "Injected failure.")
    {
        lock (_rules)
        {
            _rules.Add(new Rule(operation, times, (_, _) => Task.FromResult<HttpResponseMessage?>(ErrorResponse(status, code, message))));
        }

        return this;
    }

    /// <summary>Throws <paramref name="exception"/> for the next <paramref name="times"/> requests of <paramref name="operation"/>.</summary>
    public FaultInjectingHandler Throw(string operation, int times, Func<Exception> exception)
    {
        lock (_rules)
        {
            _rules.Add(new Rule(operation, times, (_, _) => throw exception()));
        }

        return this;
    }

    /// <summary>Runs <paramref name="action"/> before the next <paramref name="times"/> requests of <paramref name="operation"/> go on to moto.</summary>
    public FaultInjectingHandler Before(string operation, int times, Func<CancellationToken, Task> action)
    {
        lock (_rules)
        {
            _rules.Add(new Rule(operation, times, async (request, ct) =>
            {
                await action(ct);
                return null;
            }));
        }

        return this;
    }

    public static HttpResponseMessage ErrorResponse(HttpStatusCode status, string code, string message)
    {
        var xml = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message><RequestId>FAKE</RequestId><HostId>FAKE</HostId></Error>";
        return new HttpResponseMessage(status) { Content = new StringContent(xml, Encoding.UTF8, "application/xml") };
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var operation = S3Wire.Operation(request);
        _seen.Enqueue(operation);
        Rule? rule = null;
        lock (_rules)
        {
            rule = _rules.FirstOrDefault(r => r.Operation == operation && r.Remaining > 0);
            if (rule is not null)
            {
                rule.Remaining--;
            }
        }

        if (rule is not null)
        {
            var answer = await rule.Respond(request, cancellationToken);
            if (answer is not null)
            {
                answer.RequestMessage = request;
                return answer;
            }
        }

        return await base.SendAsync(request, cancellationToken);
    }

    private sealed class Rule(string operation, int times, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage?>> respond)
    {
        public string Operation { get; } = operation;

        public int Remaining { get; set; } = times;

        public Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage?>> Respond { get; } = respond;
    }
}
