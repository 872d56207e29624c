using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Lifecycle;

/// <summary>
/// One expiry sweep in its own scope. The background job calls it on a timer; tests and
/// operators can call it directly (after advancing a fake clock, for instance).
/// </summary>
public sealed class ExpirySweeper(IServiceScopeFactory scopes)
{
    public async Task<int> ExpireDueAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LifecycleOperations>().ExpireDueAsync(ct);
    }

    public async Task<int> CountOverdueObjectionsAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LifecycleOperations>().CountOverdueObjectionsAsync(ct);
    }
}

/// <summary>
/// Stops publication automatically at the maximum disclosure period, and flags overdue objections
/// in the log: sweeps at start-up, then every Hub:Lifecycle:ExpirySweepInterval on the domain clock
/// (TimeProvider).
/// </summary>
public sealed class ExpiryService(ExpirySweeper sweeper, TimeProvider time, IOptions<LifecycleOptions> options, ILogger<ExpiryService> logger) : BackgroundService
{
    private readonly Database.LoopFailures _failures = new(logger, "Expiry sweep");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ExpirySweepInterval, time);
        do
        {
            try
            {
                var expired = await sweeper.ExpireDueAsync(stoppingToken);
                if (expired > 0)
                {
                    Log.RecordsExpired(logger, expired);
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
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
