using CreditExchange.Storage;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Feed;

/// <summary>
/// Numbers newly committed record events into the feed (FeedStore.PublishAsync) every
/// Hub:Feed:PublishInterval, on every instance; the instances take turns on the database's
/// publisher lock, and the one that numbered events announces them (NOTIFY) to all.
/// </summary>
public sealed class FeedPublisher(IServiceScopeFactory scopes, FeedSignal signal, IOptions<FeedOptions> options, ILogger<FeedPublisher> logger) : BackgroundService
{
    private readonly Database.LoopFailures _failures = new(logger, "Feed publisher");

    private const int BatchSize = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Bookkeeping on the wall clock, whatever clock the domain runs on.
        using var timer = new PeriodicTimer(options.Value.PublishInterval, TimeProvider.System);
        while (await WaitAsync(timer, stoppingToken))
        {
            try
            {
                await PublishAllAsync(stoppingToken);
                _failures.Succeeded();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The events stay written; the next tick numbers them.
                _failures.Failed(e);
            }
        }
    }

    /// <summary>Numbers everything that can be numbered now; answers the head, or null when nothing was.</summary>
    public async Task<long?> PublishAllAsync(CancellationToken ct)
    {
        long? last = null;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var head = await scope.ServiceProvider.GetRequiredService<FeedStore>().PublishAsync(BatchSize, ct);
            if (head is null)
            {
                return last;
            }

            last = head;
            signal.Notify(head);
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
