using CreditExchange.Server.Database;
using CreditExchange.Storage;
using Npgsql;

namespace CreditExchange.Server.Feed;

/// <summary>
/// On PostgreSQL, listens for the publishers' notifications (LISTEN creditexchange_feed) on a
/// connection of its own, so that an event numbered by any instance wakes this instance's streams
/// at once; polling (Hub:Feed:PollInterval) covers a lost connection. Reconnects by itself.
/// </summary>
public sealed class FeedListener(IConfiguration configuration, FeedSignal signal, ILogger<FeedListener> logger) : BackgroundService
{
    private readonly Database.LoopFailures _failures = new(logger, "Feed listener");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = configuration.GetConnectionString(DatabaseExtensions.PostgresConnectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return; // SQLite: one instance, its own publisher signals directly
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => signal.Notify(long.TryParse(e.Payload, System.Globalization.CultureInfo.InvariantCulture, out var head) ? head : null);
                await using (var listen = new NpgsqlCommand($"LISTEN {FeedStore.NotifyChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                _failures.Succeeded();
                signal.Notify(); // whatever was announced while not listening
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _failures.Failed(e);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
