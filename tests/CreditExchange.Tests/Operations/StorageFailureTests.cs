using System.Data.Common;
using System.Net.Sockets;
using CreditExchange.Server.Database;
using CreditExchange.Tests.Hub;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CreditExchange.Tests.Operations;

/// <summary>Transient storage failures, however wrapped, are told apart; SQLite disk full flips health and is answered UNAVAILABLE.</summary>
public sealed class StorageFailureTests
{
    public static TheoryData<string, Exception, bool> Failures() => new()
    {
        { "connection refused, wrapped by EF Core", new InvalidOperationException("transient", new NpgsqlException("Failed to connect", new SocketException(111))), true },
        { "too many connections", new PostgresException("sorry, too many clients already", "FATAL", "FATAL", "53300"), true },
        { "disk full", new DbUpdateException("save", new PostgresException("could not extend file", "ERROR", "ERROR", "53100")), true },
        { "admin shutdown", new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"), true },
        { "standby after failover", new PostgresException("cannot execute INSERT in a read-only transaction", "ERROR", "ERROR", "25006"), true },
        { "no primary during a switchover (multi-host, read-write)", new NpgsqlException("No suitable host was found.", new AggregateException(new NpgsqlException("not read-write"))), true },
        { "serialization failure", new PostgresException("could not serialize access", "ERROR", "ERROR", "40001"), true },
        { "retries exhausted", new RetryLimitExceededException("gave up", new TimeoutException()), true },
        { "aggregate", new AggregateException(new InvalidOperationException("x"), new SqliteException("database is locked", 5)), true },
        { "SQLite disk full", new DbUpdateException("save", new SqliteException("database or disk is full", 13)), true },
        { "SQLite I/O error (extended code)", new SqliteException("disk I/O error", 10 | (3 << 8)), true },
        { "SQLite cannot open", new SqliteException("unable to open database file", 14), true },
        { "unique violation", new DbUpdateException("save", new PostgresException("duplicate key", "ERROR", "ERROR", "23505")), false },
        { "SQLite constraint", new SqliteException("UNIQUE constraint failed", 19), false },
        { "SQLite corrupt", new SqliteException("database disk image is malformed", 11), false },
        { "a bug", new InvalidOperationException("Sequence contains no elements"), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void IsTransient_ProviderFailureHoweverWrapped_Classified(string why, Exception failure, bool transient)
    {
        Assert.True(StorageFailures.IsTransient(failure) == transient, why);
    }

    [Fact]
    public async Task SubmitRecord_SqliteDiskFull_UnavailableAndHealthNotServingUntilItClears()
    {
        var disk = new InjectedWriteFailure();
        await using var hub = await HubHost.StartAsync(null, services: s => s.AddSingleton<IInterceptor>(disk));
        var court = hub.Records("court");
        var health = new Health.HealthClient(hub.Channel(TestCertificates.Agency("court")));
        await court.SubmitRecordAsync(TestData.Submission());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new())).Status);

        disk.ErrorCode = 13; // SQLITE_FULL
        var e = await Assert.ThrowsAsync<RpcException>(async () => await court.SubmitRecordAsync(TestData.Submission()));
        await OutageTests.WaitUntilAsync(async () => (await health.CheckAsync(new())).Status == HealthCheckResponse.Types.ServingStatus.NotServing);
        var records = hub.CountRecords();
        disk.ErrorCode = null;

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Equal("STORAGE_UNAVAILABLE", TestData.Reason(e));
        Assert.NotNull(e.GetRpcStatus()?.GetDetail<RetryInfo>());
        Assert.Equal(1, records);
        await OutageTests.WaitUntilAsync(async () => (await health.CheckAsync(new())).Status == HealthCheckResponse.Types.ServingStatus.Serving);
        Assert.False((await court.SubmitRecordAsync(TestData.Submission())).Duplicate);
    }

    [Fact]
    public async Task SubmitRecord_NonTransientStorageError_InternalWithReference()
    {
        var disk = new InjectedWriteFailure();
        await using var hub = await HubHost.StartAsync(null, services: s => s.AddSingleton<IInterceptor>(disk));
        var court = hub.Records("court");
        await court.SubmitRecordAsync(TestData.Submission());

        disk.ErrorCode = 11; // SQLITE_CORRUPT: retrying will not help
        var e = await Assert.ThrowsAsync<RpcException>(async () => await court.SubmitRecordAsync(TestData.Submission()));
        disk.ErrorCode = null;

        Assert.Equal(StatusCode.Internal, e.StatusCode);
        Assert.Equal("INTERNAL_ERROR", TestData.Reason(e));
        Assert.Matches("reference [0-9a-f]{32}", e.Status.Detail);
    }

    /// <summary>Fails every INSERT, UPDATE and DELETE with the SQLite error code set, as a full or broken disk would.</summary>
    private sealed class InjectedWriteFailure : DbCommandInterceptor
    {
        private int _code;

        public int? ErrorCode
        {
            get => Volatile.Read(ref _code) is var code and not 0 ? code : null;
            set => Volatile.Write(ref _code, value ?? 0);
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Fail(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Fail(command);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        private void Fail(DbCommand command)
        {
            var text = command.CommandText.TrimStart();
            if (ErrorCode is { } code && (text.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase)
                || text.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase) || text.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase)))
            {
                throw new SqliteException(code == 13 ? "SQLite Error 13: 'database or disk is full'." : $"SQLite Error {code}.", code);
            }
        }
    }
}
