using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace CreditExchange.Server.Database;

/// <summary>
/// Tells a transient storage failure (the database is unreachable, restarting, failing over,
/// overloaded or out of disk: retrying later can succeed, and nothing was written) from everything
/// else, however the provider and EF Core wrap it: the whole chain of inner exceptions is walked.
/// </summary>
public static class StorageFailures
{
    // SQLite primary result codes (https://sqlite.org/rescode.html).
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteNoMem = 7;
    private const int SqliteIoErr = 10;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;
    private const int SqliteProtocol = 15;

    /// <summary>Whether <paramref name="exception"/>, or anything it wraps, is a transient storage failure.</summary>
    public static bool IsTransient(Exception? exception) => Chain(exception).Any(IsTransientItself);

    /// <summary>
    /// Whether the database refused a row of the audit trail — a constraint or trigger on audit_entries, not an outage
    /// nor a broken database: the call's audit entry could not be written, and neither could anything committed with it.
    /// </summary>
    public static bool IsAuditRefused(Exception? exception) =>
        !IsTransient(exception)
        && Chain(exception).Any(IsRefusal)
        && Chain(exception).Any(e => e switch
        {
            // EF Core names the rows of the statement that failed.
            DbUpdateException { Entries.Count: > 0 } update => update.Entries.All(entry => entry.Entity is Storage.Entities.AuditEntryEntity),
            PostgresException { TableName: AuditTable } => true,
            // Npgsql names the statement of a batch that failed (EF Core then names every row of the batch).
            PostgresException { BatchCommand.CommandText: var statement } => statement.Contains(AuditTable, StringComparison.Ordinal)
                && (statement.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase) || statement.StartsWith("COPY", StringComparison.OrdinalIgnoreCase)),
            _ => false,
        });

    /// <summary>A constraint or a trigger said no (PostgreSQL class 23 or RAISE EXCEPTION; SQLite SQLITE_CONSTRAINT).</summary>
    private static bool IsRefusal(Exception e) => e switch
    {
        PostgresException p => p.SqlState.StartsWith("23", StringComparison.Ordinal) || p.SqlState == PostgresErrorCodes.RaiseException,
        SqliteException s => s.SqliteErrorCode == SqliteConstraint,
        _ => false,
    };

    private const int SqliteConstraint = 19;

    /// <summary>The audit trail's table (as the model maps it).</summary>
    private const string AuditTable = "audit_entries";

    /// <summary>Whether <paramref name="exception"/>, or anything it wraps, comes from the database (transient or not).</summary>
    public static bool IsStorage(Exception? exception) =>
        Chain(exception).Any(e => e is DbException or DbUpdateException or RetryLimitExceededException);

    /// <summary>The exception and everything it wraps, outermost first (aggregates included).</summary>
    public static IEnumerable<Exception> Chain(Exception? exception)
    {
        var pending = new Stack<Exception>();
        if (exception is not null)
        {
            pending.Push(exception);
        }

        // Bounded: a pathological cycle of inner exceptions cannot loop for ever.
        for (var seen = 0; pending.Count > 0 && seen < 64; seen++)
        {
            var current = pending.Pop();
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.Reverse())
                {
                    pending.Push(inner);
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }

    private static bool IsTransientItself(Exception e) => e switch
    {
        PostgresException pg => IsTransientSqlState(pg.SqlState),
        // A multi-host connection string (Target Session Attributes=read-write) with no usable primary at
        // this moment, as during a Patroni switchover: Npgsql does not mark it transient, but it is.
        NpgsqlException { Message: "No suitable host was found." } => true,
        NpgsqlException npgsql => npgsql.IsTransient,
        SqliteException sqlite => (sqlite.SqliteErrorCode & 0xFF) is SqliteBusy or SqliteLocked or SqliteNoMem or SqliteIoErr or SqliteFull or SqliteCantOpen or SqliteProtocol,
        // EF Core gave up retrying a transient failure.
        RetryLimitExceededException => true,
        DbException db => db.IsTransient,
        SocketException or TimeoutException => true,
        _ => false,
    };

    /// <summary>
    /// PostgreSQL error codes after which the statement's transaction was rolled back and a later
    /// retry can succeed: class 08 (connection), 53 (insufficient resources: disk full, out of
    /// memory, too many connections), 57P01–57P05 (shutdown, crash, not yet accepting connections,
    /// database dropped, idle session timeout), 40001/40P01 (serialization failure, deadlock), and
    /// 25006 (read-only transaction: the server is a standby, as during a failover).
    /// </summary>
    public static bool IsTransientSqlState(string? state) => state is not null && (
        state.StartsWith("08", StringComparison.Ordinal)
        || state.StartsWith("53", StringComparison.Ordinal)
        || state is "57P01" or "57P02" or "57P03" or "57P04" or "57P05" or "40001" or "40P01" or "25006");
}
