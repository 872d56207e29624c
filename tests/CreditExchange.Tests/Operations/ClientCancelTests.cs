using CreditExchange.Contracts.Audit.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CreditExchange.Tests.Operations;

/// <summary>A client's own cancel is the client's business: audited CANCELLED, and not logged as a failure of the hub.</summary>
[Collection("postgres")]
public sealed class ClientCancelTests(PostgresFixture postgres)
{
    [Fact]
    public async Task ClientCancelsWhileTheCallWaitsOnTheDatabase_AuditedCancelledAndNotLoggedAsAFailure()
    {
        var database = await postgres.CreateDatabaseAsync();
        var logs = new CapturingLoggerProvider();
        await using var hub = await HubHost.StartAsync(database, new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information" }, services: s => s.AddSingleton<ILoggerProvider>(logs));
        var record = (await hub.Records("court").SubmitRecordAsync(TestData.Submission())).Record;
        var drc = hub.Records("drc");
        await drc.GetRecordAsync(new GetRecordRequest { RecordId = record.RecordId });

        // Another session holds the records table: the next read waits on it.
        await using var holder = new NpgsqlConnection(database);
        await holder.OpenAsync();
        await using var hold = await holder.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE records IN ACCESS EXCLUSIVE MODE", holder, hold))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        var before = logs.Lines.Count;
        using var cancel = new CancellationTokenSource();
        var call = drc.GetRecordAsync(new GetRecordRequest { RecordId = record.RecordId }, cancellationToken: cancel.Token).ResponseAsync;
        await Eventually.HoldsAsync(async () => await WaitingOnLocksAsync(database) > 0);
        await cancel.CancelAsync();
        var e = await Assert.ThrowsAsync<RpcException>(() => call);
        // The hub ends the call while the table is still held (else the read could complete first and answer OK).
        var audit = new AuditService.AuditServiceClient(hub.AgencyChannel("drc"));
        await Eventually.HoldsAsync(async () => (await audit.ListAuditEntriesAsync(new ListAuditEntriesRequest { AgencyId = "drc" })).Entries
            .Count(x => x.Method.EndsWith("/GetRecord", StringComparison.Ordinal)) == 2);
        await hold.RollbackAsync();

        Assert.Equal(StatusCode.Cancelled, e.StatusCode);
        var entries = (await audit.ListAuditEntriesAsync(new ListAuditEntriesRequest { AgencyId = "drc" })).Entries;
        Assert.Equal(
            [(int)StatusCode.Cancelled, (int)StatusCode.OK],
            entries.Where(x => x.Method.EndsWith("/GetRecord", StringComparison.Ordinal)).Select(x => x.Outcome.Code));
        Assert.DoesNotContain(logs.Lines.Skip(before), l => l.StartsWith(nameof(LogLevel.Error), StringComparison.Ordinal) || l.StartsWith(nameof(LogLevel.Critical), StringComparison.Ordinal));
    }

    private static async Task<long> WaitingOnLocksAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'records' AND NOT l.granted", connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
