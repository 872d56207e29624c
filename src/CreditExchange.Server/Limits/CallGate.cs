using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Limits;

/// <summary>
/// Bounds how many unary hub calls run at a time on this instance (<see cref="LimitOptions.MaxConcurrentCalls"/>),
/// and how many of them one agency may hold (<see cref="LimitOptions.MaxConcurrentCallsPerAgency"/>); the others
/// wait, oldest first, without using a thread. Under overload the work in progress stays small, so what is not
/// gated — the health service, the management endpoints, feed and ingest streams, the token endpoint — is answered
/// at once instead of queueing behind every call the hub has accepted, and each admitted call runs with less
/// contention. A call first waits for one of its agency's turns, then for one of the hub's: an agency that floods
/// the hub queues behind itself, and the turns it cannot take stay free for the others. A call waits until its
/// deadline; when <see cref="LimitOptions.MaxQueuedCalls"/> are already waiting at either step it is refused at once
/// (RATE_LIMITED with a retry delay).
/// </summary>
public sealed class CallGate : IDisposable
{
    private readonly LimitOptions _options;
    private readonly ConcurrencyLimiter _hub;
    private readonly ConcurrentDictionary<string, ConcurrencyLimiter> _agencies = new(StringComparer.Ordinal);

    public CallGate(IOptions<LimitOptions> options)
    {
        _options = options.Value;
        _hub = Limiter(_options.MaxConcurrentCalls);
    }

    /// <summary>
    /// A permit to run for a call of <paramref name="partition"/> (the agency, or the certificate that names none), to
    /// dispose when the call ends; not acquired when a queue is full.
    /// </summary>
    public async ValueTask<RateLimitLease> EnterAsync(string partition, CancellationToken ct)
    {
        var own = await _agencies.GetOrAdd(partition, _ => Limiter(Math.Min(_options.MaxConcurrentCallsPerAgency, _options.MaxConcurrentCalls)))
            .AcquireAsync(1, ct);
        if (!own.IsAcquired)
        {
            return own;
        }

        try
        {
            var turn = await _hub.AcquireAsync(1, ct);
            if (turn.IsAcquired)
            {
                return new Both(own, turn);
            }

            own.Dispose();
            return turn;
        }
        catch
        {
            own.Dispose();
            throw;
        }
    }

    /// <summary>Calls waiting for a permit now, for their agency's turn or for the hub's.</summary>
    public long Queued => (_hub.GetStatistics()?.CurrentQueuedCount ?? 0) + _agencies.Values.Sum(a => a.GetStatistics()?.CurrentQueuedCount ?? 0);

    public void Dispose()
    {
        _hub.Dispose();
        foreach (var agency in _agencies.Values)
        {
            agency.Dispose();
        }
    }

    private ConcurrencyLimiter Limiter(int permits) => new(new ConcurrencyLimiterOptions
    {
        PermitLimit = permits,
        QueueLimit = _options.MaxQueuedCalls,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    /// <summary>The agency's turn and the hub's, given back together (the hub's first, for whoever waits on it).</summary>
    private sealed class Both(RateLimitLease own, RateLimitLease turn) : RateLimitLease
    {
        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                turn.Dispose();
                own.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
