using CreditExchange.Storage;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Feed;

/// <summary>
/// Measures every second, on a connection of its own (so that a publisher stuck on a lock does not stop it), what waits
/// to be numbered into the feed (<see cref="FeedBacklog"/>, the metrics and heartbeats). When the oldest waiting event
/// has waited Hub:Feed:HeldBackWarning, it warns, naming the sessions that hold numbering back (pid, database, age),
/// and says so again once a minute while it lasts, and once when numbering has caught up. Readiness is not touched:
/// the hub still serves, and the heartbeats tell every reader how far behind the feed is.
/// </summary>
public sealed class FeedWatch(IServiceScopeFactory scopes, FeedBacklog backlog, IOptions<FeedOptions> options, ILogger<FeedWatch> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    private readonly Database.LoopFailures _failures = new(logger, "Feed watch");
    private DateTimeOffset? _heldSince;
    private DateTimeOffset _warned;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Bookkeeping on the wall clock, whatever clock the domain runs on.
        using var timer = new PeriodicTimer(Every, TimeProvider.System);
        do
        {
            try
            {
                await CheckAsync(stoppingToken);
                _failures.Succeeded();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _failures.Failed(e);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    /// <summary>One measurement, and the warning or the all-clear it calls for.</summary>
    public async Task CheckAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<FeedStore>();
        var (pending, oldestAge) = await backlog.MeasureAsync(store, ct);
        var now = TimeProvider.System.GetUtcNow();
        if (oldestAge is { } age && age >= options.Value.HeldBackWarning)
        {
            _heldSince ??= now - age;
            if (now - _warned >= Database.LoopFailures.RepeatEvery)
            {
                _warned = now;
                var blockers = await store.BlockersAsync(ct);
                Log.FeedHeldBack(logger, pending, age, blockers.Count == 0
                    ? "No session holds the publishers' lock or blocks this database's sessions; see the feed publisher's own errors."
                    : "Held back by: " + string.Join("; ", blockers) + ".");
            }
        }
        else if (_heldSince is { } since)
        {
            Log.FeedCaughtUp(logger, now - since);
            _heldSince = null;
            _warned = default;
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
