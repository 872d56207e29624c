using System.Diagnostics.Metrics;
using CreditExchange.Storage;

namespace CreditExchange.Server.Feed;

/// <summary>
/// How far numbering is behind: the committed events not yet numbered into the feed and the age of the oldest, as
/// the feed watch last measured it (every second) and as each heartbeat measures it for itself. Exposed as
/// the metrics <c>creditexchange.feed.pending</c> and <c>creditexchange.feed.pending.age</c>.
/// </summary>
public sealed class FeedBacklog
{
    private readonly TimeProvider _time;

    public FeedBacklog(TimeProvider time, IMeterFactory meters)
    {
        _time = time;
        var meter = meters.Create(Telemetry.HubMetrics.MeterName);
        meter.CreateObservableGauge("creditexchange.feed.pending", () => Count, "{event}", "Events of committed changes not yet numbered into the feed (measured every second).");
        meter.CreateObservableGauge("creditexchange.feed.pending.age", () => OldestAge.TotalSeconds, "s", "How long the oldest event not yet numbered into the feed has waited.");
    }

    private long _count;
    private DateTimeOffset? _oldest;

    /// <summary>Events waiting to be numbered at the last measurement.</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>How long the oldest waiting event had waited at the last measurement; zero when none waits.</summary>
    public TimeSpan OldestAge
    {
        get
        {
            lock (this)
            {
                return _oldest is { } oldest ? Max(_time.GetUtcNow() - oldest) : TimeSpan.Zero;
            }
        }
    }

    /// <summary>Measures now: the count and the oldest waiting event's age.</summary>
    public async Task<(long Count, TimeSpan? OldestAge)> MeasureAsync(FeedStore store, CancellationToken ct)
    {
        var (count, oldest) = await store.PendingAsync(ct);
        var now = _time.GetUtcNow();
        lock (this)
        {
            _count = count;
            _oldest = oldest;
        }

        return (count, oldest is { } o ? Max(now - o) : null);
    }

    private static TimeSpan Max(TimeSpan age) => age < TimeSpan.Zero ? TimeSpan.Zero : age;
}
