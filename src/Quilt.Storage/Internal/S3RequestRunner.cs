using System.Security.Cryptography;

namespace Quilt.Storage.Internal;

/// <summary>
/// Runs every S3 request of a store: waits for a slot in the concurrency gate, counts the attempt, retries
/// throttling and transient failures with jittered exponential backoff, and maps failures to typed errors.
/// The SDK's own retries are off, so every attempt on the wire is counted exactly once, here.
/// </summary>
internal sealed class S3RequestRunner : IDisposable
{
    private readonly SemaphoreSlim _gate;
    private readonly RequestCounter _counter;
    private readonly int _maxRetries;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private readonly IReadOnlyList<string> _secrets;

    public S3RequestRunner(RequestCounter counter, int maxConcurrency, int maxRetries, TimeSpan baseDelay, TimeSpan maxDelay, IReadOnlyList<string> secrets)
    {
        _gate = new SemaphoreSlim(maxConcurrency, maxConcurrency);
        _counter = counter;
        _maxRetries = maxRetries;
        _baseDelay = baseDelay;
        _maxDelay = maxDelay;
        _secrets = secrets;
    }

    /// <summary>Secrets that must never appear in an error message.</summary>
    public IReadOnlyList<string> Secrets => _secrets;

    /// <summary>
    /// Runs <paramref name="call"/> (one S3 request, including the reading of its body when the caller needs the whole
    /// body) with gating, counting, retries and error mapping.
    /// </summary>
    public async Task<T> RunAsync<T>(string operation, string target, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                _counter.Add(operation);
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < _maxRetries && S3Errors.IsRetryable(ex, cancellationToken))
            {
                // Fall through to the backoff below, outside the gate.
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                throw S3Errors.Map(ex, operation, target, _secrets);
            }
            finally
            {
                _gate.Release();
            }

            await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _gate.Dispose();

    private TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(_maxDelay.TotalMilliseconds, _baseDelay.TotalMilliseconds * Math.Pow(2, attempt));

        // "Equal jitter": half fixed, half random, so that many clients throttled together spread out.
        var jitter = RandomNumberGenerator.GetInt32(0, 1001) / 1000.0;
        return TimeSpan.FromMilliseconds((ceiling / 2) + (ceiling / 2 * jitter));
    }
}
