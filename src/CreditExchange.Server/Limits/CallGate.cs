using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Limits;

/// <summary>
/// Bounds how many unary hub calls run at a time on this instance (<see cref="LimitOptions.MaxConcurrentCalls"/>);
/// the others wait, oldest first, without using a thread. Under overload the work in progress stays small, so
/// what is not gated — the health service, the management endpoints, feed and ingest streams, the token
/// endpoint — is answered at once instead of queueing behind every call the hub has accepted, and each admitted
/// call runs with less contention. A call waits until its deadline; when <see cref="LimitOptions.MaxQueuedCalls"/>
/// are already waiting it is refused at once (RATE_LIMITED with a retry delay).
/// </summary>
public sealed class CallGate(IOptions<LimitOptions> options) : IDisposable
{
    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = options.Value.MaxConcurrentCalls,
        QueueLimit = options.Value.MaxQueuedCalls,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    /// <summary>A permit to run, to dispose when the call ends; not acquired when the queue is full.</summary>
    public ValueTask<RateLimitLease> EnterAsync(CancellationToken ct) => _limiter.AcquireAsync(1, ct);

    /// <summary>Calls waiting for a permit now.</summary>
    public long Queued => _limiter.GetStatistics()?.CurrentQueuedCount ?? 0;

    public void Dispose() => _limiter.Dispose();
}
