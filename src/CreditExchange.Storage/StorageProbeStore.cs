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
    /// <summary>The probe's one statement, with EF Core's placeholders for the instance and the time.</summary>
    private const string Upsert = """INSERT INTO storage_probes ("Instance", "ProbedAt") VALUES ({0}, {1}) ON CONFLICT ("Instance") DO UPDATE SET "ProbedAt" = excluded."ProbedAt" """;

    /// <summary>The same statement with PostgreSQL's positional parameters, for the probe's own pool.</summary>
    private static readonly string PositionalUpsert = Upsert.Replace("{0}", "$1", StringComparison.Ordinal).Replace("{1}", "$2", StringComparison.Ordinal);

    /// <summary>Writes and commits this instance's probe row; throws when the database cannot be written.</summary>
    public async Task ProbeAsync(string instance, DateTime at, CancellationToken ct)
    {
        // An explicit transaction either way: the commit must reach the database's log, and no retry hides a failure.
        if (own is not null)
        {
            await using var connection = await own.Source.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using var command = new NpgsqlCommand(PositionalUpsert, connection, transaction)
            {
                Parameters = { new NpgsqlParameter { Value = instance }, new NpgsqlParameter { Value = at } },
            };
            await command.ExecuteNonQueryAsync(ct);
            await transaction.CommitAsync(ct);
            return;
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlRawAsync(Upsert, [instance, at], ct);
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
