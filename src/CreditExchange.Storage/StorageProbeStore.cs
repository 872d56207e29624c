using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CreditExchange.Storage;

/// <summary>
/// The write probe behind readiness: an upsert of this instance's row, committed. On PostgreSQL it writes through a
/// pool of its own (<see cref="StorageProbeConnections"/>), so a probe never waits for a connection behind the calls
/// that hold the hub's pool: a hub busy with work is not reported dead.
/// </summary>
public sealed class StorageProbeStore(CreditDbContext db, StorageProbeConnections? own = null)
{
    private const string Upsert = """INSERT INTO storage_probes ("Instance", "ProbedAt") VALUES (@instance, @at) ON CONFLICT ("Instance") DO UPDATE SET "ProbedAt" = excluded."ProbedAt" """;

    /// <summary>Writes and commits this instance's probe row; throws when the database cannot be written.</summary>
    public async Task ProbeAsync(string instance, DateTime at, CancellationToken ct)
    {
        if (own is not null)
        {
            await using var connection = await own.Source.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using var command = new NpgsqlCommand(Upsert, connection, transaction);
            command.Parameters.AddWithValue("instance", instance);
            command.Parameters.AddWithValue("at", at);
            await command.ExecuteNonQueryAsync(ct);
            await transaction.CommitAsync(ct);
            return;
        }

        // An explicit transaction: the commit must reach the database's log, and no retry hides a failure.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO storage_probes ("Instance", "ProbedAt") VALUES ({instance}, {at}) ON CONFLICT ("Instance") DO UPDATE SET "ProbedAt" = excluded."ProbedAt" """,
            ct);
        await tx.CommitAsync(ct);
    }
}

/// <summary>The write probe's own small PostgreSQL pool (two connections, its own application name), apart from the hub's.</summary>
public sealed class StorageProbeConnections : IDisposable
{
    public StorageProbeConnections(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 2, MinPoolSize = 0 };
        builder.ApplicationName = (string.IsNullOrEmpty(builder.ApplicationName) ? "creditexchange" : builder.ApplicationName) + " storage probe";
        Source = NpgsqlDataSource.Create(builder);
    }

    public NpgsqlDataSource Source { get; }

    public void Dispose() => Source.Dispose();
}
