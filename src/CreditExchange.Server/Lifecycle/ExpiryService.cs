using CreditExchange.Domain.Records;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Lifecycle;

/// <summary>
/// One sweep in its own scope. The background job calls it on its schedule; tests and operators can
/// call it directly (after advancing a fake clock, for instance).
/// </summary>
public sealed class ExpirySweeper(IServiceScopeFactory scopes)
{
    public async Task<int> ExpireDueAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LifecycleOperations>().ExpireDueAsync(ct);
    }

    public async Task<int> RecordEffectEndsAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LifecycleOperations>().RecordEffectEndsAsync(ct);
    }

    /// <summary>The other lists' ends of the day (<see cref="IDaySweep"/>, e.g. the bidding blacklist's exits): the changes written.</summary>
    public async Task<int> OtherListsAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var written = 0;
        foreach (var sweep in scope.ServiceProvider.GetServices<IDaySweep>())
        {
            written += await sweep.SweepAsync(ct);
        }

        return written;
    }

    public async Task<int> CountOverdueObjectionsAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LifecycleOperations>().CountOverdueObjectionsAsync(ct);
    }
}

/// <summary>
/// Records the day's ends on the day: the end of periods of effect (EFFECT_ENDED, the feed's LIFT)
/// and of disclosure periods (EXPIRED, the publication feed's WITHDRAWN), the other lists' ends
/// (<see cref="IDaySweep"/>: the bidding blacklist's exits), and flags overdue
/// objections in the log. Sweeps at start-up, soon after each Beijing midnight
/// (Hub:Lifecycle:DayStartDelay), and every Hub:Lifecycle:ExpirySweepInterval in between, all on the
/// domain clock (TimeProvider). Several hubs may sweep together: each change is written once.
/// </summary>
public sealed class ExpiryService(ExpirySweeper sweeper, TimeProvider time, IOptions<LifecycleOptions> options, ILogger<ExpiryService> logger) : BackgroundService
{
    private readonly Database.LoopFailures _failures = new(logger, "Expiry sweep");
    private volatile bool _sweptOnce;

    /// <summary>Whether the start-up sweep has run (whatever it found, or failed): what the hub's records looked like then is swept.</summary>
    public bool SweptOnce => _sweptOnce;

    /// <summary>
    /// How long from <paramref name="now"/> until the next sweep: the interval, or the start of the next Beijing day
    /// plus the delay when that comes first (or of this day, when its delay has not passed yet).
    /// </summary>
    public static TimeSpan UntilNextSweep(DateTimeOffset now, TimeSpan interval, TimeSpan dayStartDelay)
    {
        var today = ChinaCalendar.DateOf(now);
        var dayStart = ChinaCalendar.StartOf(today) + dayStartDelay;
        if (dayStart <= now)
        {
            dayStart = ChinaCalendar.StartOf(today.AddDays(1)) + dayStartDelay;
        }

        var untilDayStart = dayStart - now;
        return untilDayStart < interval ? untilDayStart : interval;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        DateTimeOffset started;
        do
        {
            // The next sweep is reckoned from this one's start: a day that begins while it runs is swept right after.
            started = time.GetUtcNow();
            try
            {
                var ended = await sweeper.RecordEffectEndsAsync(stoppingToken);
                if (ended > 0)
                {
                    Log.EffectEndsRecorded(logger, ended);
                }

                var expired = await sweeper.ExpireDueAsync(stoppingToken);
                if (expired > 0)
                {
                    Log.RecordsExpired(logger, expired);
                }

                var others = await sweeper.OtherListsAsync(stoppingToken);
                if (others > 0)
                {
                    Log.OtherListEndsRecorded(logger, others);
                }

                var overdue = await sweeper.CountOverdueObjectionsAsync(stoppingToken);
                if (overdue > 0)
                {
                    Log.ObjectionsOverdue(logger, overdue);
                }

                _failures.Succeeded();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // A failed sweep (database away) is retried at the next tick; the hub keeps serving.
                _failures.Failed(e);
            }
            finally
            {
                _sweptOnce = true;
            }
        }
        while (await WaitAsync(Remaining(started + UntilNextSweep(started, settings.ExpirySweepInterval, settings.DayStartDelay)), stoppingToken));
    }

    private TimeSpan Remaining(DateTimeOffset due)
    {
        var left = due - time.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private async Task<bool> WaitAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            if (delay == TimeSpan.Zero)
            {
                return !stoppingToken.IsCancellationRequested;
            }

            await Task.Delay(delay, time, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
