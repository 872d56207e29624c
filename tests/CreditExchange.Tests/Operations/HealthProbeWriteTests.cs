using CreditExchange.Server.Database;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Grpc.Health.V1;
using Npgsql;

namespace CreditExchange.Tests.Operations;

/// <summary>
/// The health probe's write commits at the disk's pace; health calls do not all wait for it. While a probe is held
/// (its row locked by another session), health answers from the previous probe as long as that started less than
/// two probe intervals ago, and only then waits for the held one.
/// </summary>
[Collection("postgres")]
public sealed class HealthProbeWriteTests(PostgresFixture postgres)
{
    [Fact]
    public async Task HealthCheck_WhileAProbeWriteIsHeld_AnswersFromTheRecentProbe_ThenWaitsForTheHeldOne()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var hub = await HubHost.StartAsync(database);
        var health = new Health.HealthClient(hub.Channel(TestCertificates.Agency("drc")));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new())).Status);

        // Another session holds the instance's probe row: the next probe's upsert waits for it.
        await using var holder = new NpgsqlConnection(database);
        await holder.OpenAsync();
        await using var hold = await holder.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM storage_probes FOR UPDATE", holder, hold))
        {
            Assert.NotNull(await lockRow.ExecuteScalarAsync());
        }

        // Once a probe interval has passed, a health call starts a new probe, which waits on the lock; that call and
        // those after it, for up to two intervals after the probe before started, answer from that probe.
        var answeredWhileHeld = 0;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (answeredWhileHeld < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "No probe waited on the held row within 30 s.");
            var heldBefore = await ProbeWaitingAsync(holder);
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new())).Status);
            if (heldBefore && await ProbeWaitingAsync(holder))
            {
                answeredWhileHeld++;
            }
        }

        // Two intervals after the answer used, a call waits for the held probe: it cannot answer while the row is held.
        await Task.Delay(2 * StorageStatus.ProbeInterval);
        var waiting = health.CheckAsync(new()).ResponseAsync;
        Assert.NotSame(waiting, await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromMilliseconds(500))));
        Assert.True(await ProbeWaitingAsync(holder));

        await hold.RollbackAsync();
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await waiting).Status);
    }

    /// <summary>Whether a session of the hub's probe pool waits for a lock now.</summary>
    private static async Task<bool> ProbeWaitingAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE '%storage probe' AND wait_event_type = 'Lock'", connection);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }
}
