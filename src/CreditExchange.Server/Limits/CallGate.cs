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
/// (RATE_LIMITED with a retry delay). Calls of methods the contract marks bulk (policy <c>bulk</c>) first wait in a lane
/// of their own (<see cref="LimitOptions.MaxConcurrentBulkCalls"/>): a credit file of thousands of records or a list
/// of ten thousand candidates never takes every processor from the short calls. While short calls run or wait, a bulk
/// call that ran for a time then keeps its lane turn idle for a while (<see cref="LimitOptions.BulkLaneShare"/>), so a
/// stream of bulk calls (one subject with thousands of records, checked and read over and over) takes at most that
/// share of the lane's processors from them.
/// </summary>
public sealed class CallGate : IDisposable
{
    private readonly LimitOptions _options;
    private readonly ConcurrencyLimiter _hub;
    private readonly ConcurrencyLimiter _bulk;
    private readonly ConcurrentDictionary<string, ConcurrencyLimiter> _agencies = new(StringComparer.Ordinal);
    private int _bulkRunning;

    public CallGate(IOptions<LimitOptions> options)
    {
        _options = options.Value;
        _hub = Limiter(_options.MaxConcurrentCalls);
        _bulk = Limiter(_options.MaxConcurrentBulkCalls);
    }

    /// <summary>
    /// A permit to run for a call of <paramref name="partition"/> (the agency, or the certificate that names none), to
    /// dispose when the call ends; not acquired when a queue is full. A <paramref name="bulk"/> call first waits for a
    /// turn of the bulk lane (<see cref="LimitOptions.MaxConcurrentBulkCalls"/>), so that waiting bulk calls hold none
    /// of the turns short calls need.
    /// </summary>
    public async ValueTask<RateLimitLease> EnterAsync(string partition, bool bulk, CancellationToken ct)
    {
        var agency = _agencies.GetOrAdd(partition, _ => Limiter(Math.Min(_options.MaxConcurrentCallsPerAgency, _options.MaxConcurrentCalls)));
        if (!bulk)
        {
            return await InTurnAsync(agency, () => _hub.AcquireAsync(1, ct), ct);
        }

        var lane = await _bulk.AcquireAsync(1, ct);
        if (!lane.IsAcquired)
        {
            return lane;
        }

        RateLimitLease turn;
        try
        {
            turn = await InTurnAsync(agency, () => _hub.AcquireAsync(1, ct), ct);
        }
        catch
        {
            lane.Dispose();
            throw;
        }

        if (!turn.IsAcquired)
        {
            lane.Dispose();
            return turn;
        }

        return new BulkTurn(this, lane, turn);
    }

    /// <summary>Whether every turn of the bulk lane is free (none running, none keeping its turn after a run).</summary>
    public bool BulkLaneIdle => _bulk.GetStatistics()?.CurrentAvailablePermits == _options.MaxConcurrentBulkCalls;

    /// <summary>
    /// Whether any unary call holds a turn or waits for one. A call waiting for its agency's turn needs no look of its
    /// own: that agency's turns are all held, by calls that run or wait for the hub's turn.
    /// </summary>
    public bool Busy
    {
        get
        {
            var hub = _hub.GetStatistics();
            return hub is not null && (hub.CurrentAvailablePermits < _options.MaxConcurrentCalls || hub.CurrentQueuedCount > 0 || !BulkLaneIdle);
        }
    }

    /// <summary>Whether a call that is not bulk holds a turn of the hub or waits for one.</summary>
    private bool ShortCallsActive()
    {
        var statistics = _hub.GetStatistics();
        return statistics is not null
            && (statistics.CurrentQueuedCount > 0 || _options.MaxConcurrentCalls - statistics.CurrentAvailablePermits > Volatile.Read(ref _bulkRunning));
    }

    /// <summary>A turn of <paramref name="outer"/>, then the one <paramref name="inner"/> waits for: both, or neither held.</summary>
    private static async ValueTask<RateLimitLease> InTurnAsync(ConcurrencyLimiter outer, Func<ValueTask<RateLimitLease>> inner, CancellationToken ct)
    {
        var first = await outer.AcquireAsync(1, ct);
        if (!first.IsAcquired)
        {
            return first;
        }

        try
        {
            var second = await inner();
            if (second.IsAcquired)
            {
                return new Both(first, second);
            }

            first.Dispose();
            return second;
        }
        catch
        {
            first.Dispose();
            throw;
        }
    }

    /// <summary>Calls waiting for a permit now, for their agency's turn or for the hub's.</summary>
    public long Queued => (_hub.GetStatistics()?.CurrentQueuedCount ?? 0) + (_bulk.GetStatistics()?.CurrentQueuedCount ?? 0) + _agencies.Values.Sum(a => a.GetStatistics()?.CurrentQueuedCount ?? 0);

    public void Dispose()
    {
        _hub.Dispose();
        _bulk.Dispose();
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

    /// <summary>
    /// A bulk call's turns: the hub's (with its agency's) given back when it ends; the lane's then too, or, when short calls
    /// are running or waiting, after the pause that keeps bulk calls to their share of the lane's time
    /// (<see cref="LimitOptions.BulkLaneShare"/>). The time is the processors' (the system clock), whatever the hub's calendar.
    /// </summary>
    private sealed class BulkTurn : HeldTurns
    {
        private readonly CallGate _gate;
        private readonly RateLimitLease _lane;
        private readonly RateLimitLease _turn;
        private readonly long _started = TimeProvider.System.GetTimestamp();
        private int _disposed;

        public BulkTurn(CallGate gate, RateLimitLease lane, RateLimitLease turn)
        {
            (_gate, _lane, _turn) = (gate, lane, turn);
            Interlocked.Increment(ref gate._bulkRunning);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                var share = _gate._options.BulkLaneShare;
                var pause = share >= 100 || !_gate.ShortCallsActive()
                    ? TimeSpan.Zero
                    : TimeProvider.System.GetElapsedTime(_started) * (100.0 / share - 1);
                Interlocked.Decrement(ref _gate._bulkRunning);
                _turn.Dispose();
                if (pause <= TimeSpan.Zero)
                {
                    _lane.Dispose();
                }
                else
                {
                    _ = GiveBackAfterAsync(_lane, pause);
                }
            }

            base.Dispose(disposing);
        }

        private static async Task GiveBackAfterAsync(RateLimitLease lane, TimeSpan pause)
        {
            await Task.Delay(pause, TimeProvider.System);
            lane.Dispose();
        }
    }

    /// <summary>Turns a call holds (acquired, no metadata), given back when it is disposed.</summary>
    private abstract class HeldTurns : RateLimitLease
    {
        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }

    /// <summary>Two turns given back together, the inner one first (the hub's before the agency's).</summary>
    private sealed class Both(RateLimitLease outer, RateLimitLease inner) : HeldTurns
    {
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                outer.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
