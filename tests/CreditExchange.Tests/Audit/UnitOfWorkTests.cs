using CreditExchange.Contracts.Audit.V1;
using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Storage;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using CreditExchange.Tests.Lifecycle;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CreditExchange.Tests.Audit;

/// <summary>
/// A call's change and its audit entry commit together or not at all: with a fault injected between them — the
/// database refusing the audit row (a trigger), or the connection killed while the entry is being written — neither is
/// stored, and the retry is answered as the first attempt would have been. On PostgreSQL and on SQLite.
/// </summary>
[Collection("postgres")]
public sealed class UnitOfWorkTests(PostgresFixture postgres)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SubmitRecord_AuditRowRefused_NothingStoredAndTheRetryIsAnsweredAsTheFirst(bool onPostgres)
    {
        await using var hub = await HubHost.StartAsync(onPostgres ? await postgres.CreateDatabaseAsync() : null);
        var court = hub.Records("court");
        var submission = TestData.Submission();
        await RefuseAuditOfAsync(hub, "court", onPostgres);

        var e = await Assert.ThrowsAsync<RpcException>(() => court.SubmitRecordAsync(submission).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Equal("AUDIT_UNAVAILABLE", TestData.Reason(e));
        Assert.Equal(0, hub.CountRecords());
        Assert.Equal(0, await CountAsync(hub, "record_versions"));

        await AllowAuditAsync(hub, onPostgres);
        var retried = await court.SubmitRecordAsync(submission);

        Assert.False(retried.Duplicate);
        Assert.Equal(1, retried.Record.Version);
        Assert.Equal(1, hub.CountRecords());
        await AssertAuditedAsync(hub, "court", "/creditexchange.records.v1.RecordService/SubmitRecord", retried.Record.RecordId);
    }

    [Fact]
    public async Task SubmitRecords_AuditRowRefused_NothingOfTheBatchStored()
    {
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync());
        await RefuseAuditOfAsync(hub, "court", onPostgres: true);
        using var stream = hub.Records("court").SubmitRecords();
        foreach (var _ in Enumerable.Range(0, 3))
        {
            await stream.RequestStream.WriteAsync(new SubmitRecordsRequest { Item = TestData.Submission() });
        }

        await stream.RequestStream.CompleteAsync();
        var e = await Assert.ThrowsAsync<RpcException>(() => stream.ResponseAsync);

        Assert.Equal("AUDIT_UNAVAILABLE", TestData.Reason(e));
        Assert.Equal(0, hub.CountRecords());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CorrectRecord_AuditRowRefused_RecordUnchangedAndTheRetryApplies(bool onPostgres)
    {
        await using var hub = await HubHost.StartAsync(onPostgres ? await postgres.CreateDatabaseAsync() : null);
        var record = (await hub.Records("court").SubmitRecordAsync(TestData.Submission())).Record;
        var content = record.Content.Clone();
        content.Facts += "（更正）";
        var correction = new CorrectRecordRequest { RecordId = record.RecordId, ExpectedVersion = 1, Content = content, Reason = "更正事实。" };
        var lifecycle = new LifecycleService.LifecycleServiceClient(hub.AgencyChannel("court"));
        await RefuseAuditOfAsync(hub, "court", onPostgres);

        var e = await Assert.ThrowsAsync<RpcException>(() => lifecycle.CorrectRecordAsync(correction).ResponseAsync);

        Assert.Equal("AUDIT_UNAVAILABLE", TestData.Reason(e));
        Assert.Equal(1, (await hub.GetAsync(record.RecordId)).Version);
        Assert.Equal(1, await CountAsync(hub, "record_versions"));

        await AllowAuditAsync(hub, onPostgres);
        var corrected = await lifecycle.CorrectRecordAsync(correction);

        Assert.Equal(2, corrected.Record.Version);
        Assert.Equal(content.Facts, corrected.Record.Content.Facts);
        await AssertAuditedAsync(hub, "court", "/creditexchange.lifecycle.v1.LifecycleService/CorrectRecord", record.RecordId);
    }

    [Fact]
    public async Task SubmitRecord_ConnectionKilledWhileItsEntryIsWritten_NothingStoredAndTheRetryIsAnsweredAsTheFirst()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var hub = await HubHost.StartAsync(database);
        var court = hub.Records("court");
        var submission = TestData.Submission();
        await ExecuteAsync(database, """
            CREATE FUNCTION hold_court() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(30); RETURN NEW; END $$;
            CREATE TRIGGER hold_court BEFORE INSERT ON audit_entries FOR EACH ROW WHEN (NEW."AgencyId" = 'court' AND NEW."StatusCode" = 0)
                EXECUTE FUNCTION hold_court();
            """);

        var call = court.SubmitRecordAsync(submission).ResponseAsync;
        // The backend writing the entry (with the record, in one transaction) sleeps in the trigger: kill it there.
        await Eventually.HoldsAsync(async () => await TerminateSleepingAsync(database) > 0);
        var e = await Assert.ThrowsAsync<RpcException>(() => call);

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Equal(0, hub.CountRecords());

        await ExecuteAsync(database, "DROP TRIGGER hold_court ON audit_entries;");
        var retried = await court.SubmitRecordAsync(submission);

        Assert.False(retried.Duplicate);
        Assert.Equal(1, hub.CountRecords());
        await AssertAuditedAsync(hub, "court", "/creditexchange.records.v1.RecordService/SubmitRecord", retried.Record.RecordId);
    }

    /// <summary>The database refuses every audit entry of <paramref name="agencyId"/>, as a constraint on the table would.</summary>
    private static Task RefuseAuditOfAsync(HubHost hub, string agencyId, bool onPostgres) => SqlAsync(hub, onPostgres
        ? $"""
            CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE check_violation USING MESSAGE = 'refused', TABLE = 'audit_entries'; END $$;
            CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_entries FOR EACH ROW WHEN (NEW."AgencyId" = '{agencyId}') EXECUTE FUNCTION refuse_audit();
            """
        : $"""CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_entries WHEN NEW."AgencyId" = '{agencyId}' BEGIN SELECT RAISE(ABORT, 'refused'); END;""");

    private static Task AllowAuditAsync(HubHost hub, bool onPostgres) =>
        SqlAsync(hub, onPostgres ? "DROP TRIGGER refuse_audit ON audit_entries;" : "DROP TRIGGER refuse_audit;");

    private static async Task SqlAsync(HubHost hub, string sql)
    {
        await using var scope = hub.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<CreditDbContext>().Database.ExecuteSqlRawAsync(sql);
    }

    private static async Task<long> CountAsync(HubHost hub, string table)
    {
        await using var scope = hub.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CreditDbContext>();
        return table switch
        {
            "record_versions" => await db.RecordVersions.LongCountAsync(),
            _ => throw new ArgumentOutOfRangeException(nameof(table), table, "Count what?"),
        };
    }

    /// <summary>The call's success entry names the record: the change did not commit without it.</summary>
    private static async Task AssertAuditedAsync(HubHost hub, string agencyId, string method, string recordId)
    {
        var audit = new AuditService.AuditServiceClient(hub.AgencyChannel("drc"));
        var entries = (await audit.ListAuditEntriesAsync(new ListAuditEntriesRequest { AgencyId = agencyId, PageSize = 100 })).Entries;
        Assert.Contains(entries, x => x.Method == method && x.Outcome.Code == 0 && x.RecordIds.Contains(recordId));
    }

    private static async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<int> TerminateSleepingAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep' AND pid <> pg_backend_pid()",
            connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
