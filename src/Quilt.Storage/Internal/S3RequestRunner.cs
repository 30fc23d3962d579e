using System.Security.Cryptography;
using Amazon.Runtime;

namespace Quilt.Storage.Internal;

/// <summary>
/// Runs every S3 request of a store: waits for a slot in the concurrency gate, counts the attempt, retries
/// throttling and transient failures with jittered exponential backoff, and maps failures to typed errors.
/// The SDK's own retries are off, so every attempt on the wire is counted exactly once, here.
/// </summary>
/// <remarks>
/// With <see cref="RefreshingAWSCredentials"/> (credentials that are renewed while the store lives), a request S3
/// refuses because of the credentials themselves (<see cref="S3Errors.IsRejectedCredentials"/>) is sent once more
/// right away: when the store still holds the refused set it is cleared first
/// (<see cref="RefreshingAWSCredentials.ClearCredentials"/>), so the new attempt signs with fresh credentials; when
/// another request already renewed them, the new attempt simply uses those. That renewal is not one of the transient
/// retries. A second refusal is an error.
/// </remarks>
internal sealed class S3RequestRunner : IDisposable
{
    private readonly SemaphoreSlim _gate;
    private readonly RequestCounter _counter;
    private readonly int _maxRetries;
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private readonly IReadOnlyList<string> _secrets;
    private readonly RefreshingAWSCredentials? _renewable;
    private readonly SemaphoreSlim _renewal = new(1, 1);
    private ImmutableCredentials? _lastSigning;

    public S3RequestRunner(
        RequestCounter counter,
        int maxConcurrency,
        int maxRetries,
        TimeSpan baseDelay,
        TimeSpan maxDelay,
        IReadOnlyList<string> secrets,
        RefreshingAWSCredentials? renewable = null)
    {
        _gate = new SemaphoreSlim(maxConcurrency, maxConcurrency);
        _counter = counter;
        _maxRetries = maxRetries;
        _baseDelay = baseDelay;
        _maxDelay = maxDelay;
        _secrets = secrets;
        _renewable = renewable;
    }

    /// <summary>Secrets that must never appear in an error message: the configured ones and the renewable set last signed with.</summary>
    public IReadOnlyList<string> Secrets => With(Volatile.Read(ref _lastSigning));

    /// <summary>
    /// Runs <paramref name="call"/> (one S3 request, including the reading of its body when the caller needs the whole
    /// body) with gating, counting, retries and error mapping.
    /// </summary>
    public async Task<T> RunAsync<T>(string operation, string target, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var renewed = false;
        ImmutableCredentials? refused = null;
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            ImmutableCredentials? signing = null;
            var backoff = true;
            try
            {
                if (_renewable is not null)
                {
                    if (refused is not null)
                    {
                        await ForgetAsync(refused).ConfigureAwait(false);
                        refused = null;
                    }

                    // The set the SDK is about to sign with (renewed here first when it is due), to know what S3 refused.
                    signing = await _renewable.GetCredentialsAsync().ConfigureAwait(false);
                    Volatile.Write(ref _lastSigning, signing);
                }

                _counter.Add(operation);
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!renewed && signing is not null && !cancellationToken.IsCancellationRequested && S3Errors.IsRejectedCredentials(ex, operation))
            {
                renewed = true;
                backoff = false;
                attempt--;
                refused = signing;
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
                throw S3Errors.Map(ex, operation, target, With(signing));
            }
            finally
            {
                _gate.Release();
            }

            if (backoff)
            {
                await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _gate.Dispose();
        _renewal.Dispose();
    }

    /// <summary>
    /// Clears the refused set unless the credentials were renewed since it was taken (by a concurrent refusal). One check
    /// and clear at a time, so that many requests refused together renew once.
    /// </summary>
    private async Task ForgetAsync(ImmutableCredentials refused)
    {
        await _renewal.WaitAsync().ConfigureAwait(false);
        try
        {
            var current = await _renewable!.GetCredentialsAsync().ConfigureAwait(false);
            if (current.Equals(refused))
            {
                _renewable.ClearCredentials();
            }
        }
        finally
        {
            _renewal.Release();
        }
    }

    private IReadOnlyList<string> With(ImmutableCredentials? signing) =>
        signing is null ? _secrets : [.. _secrets, signing.SecretKey ?? string.Empty, signing.Token ?? string.Empty, signing.AccessKey ?? string.Empty];

    private TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(_maxDelay.TotalMilliseconds, _baseDelay.TotalMilliseconds * Math.Pow(2, attempt));

        // "Equal jitter": half fixed, half random, so that many clients throttled together spread out.
        var jitter = RandomNumberGenerator.GetInt32(0, 1001) / 1000.0;
        return TimeSpan.FromMilliseconds((ceiling / 2) + (ceiling / 2 * jitter));
    }
}
