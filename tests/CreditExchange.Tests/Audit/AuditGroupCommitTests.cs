using System.Data.Common;
using CreditExchange.Contracts.Appraisal.V1;
using CreditExchange.Contracts.Audit.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Contracts.Receipts.V1;
using CreditExchange.Server.Audit;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace CreditExchange.Tests.Audit;

/// <summary>
/// Audit entries are committed in groups: calls that arrive while a group commits share the next
/// transaction, each still answered only after its own entry is committed; one entry that cannot
/// be written fails its own call only; an unavailable database fails the group without retries.
/// </summary>
[Collection("postgres")]
public sealed class AuditGroupCommitTests(PostgresFixture postgres)
{
    // Groups go by INSERT here (CopyFrom above any group these tests make), which the gate sees.
    private static readonly Dictionary<string, string?> OneWriter = new() { ["Hub:Audit:Writers"] = "1", ["Hub:Audit:SealInterval"] = "00:01:00", ["Hub:Audit:CopyFrom"] = "1000" };

    // Groups of four or more entries go by COPY, which the gate does not see; the one held before them goes by INSERT.
    private static readonly Dictionary<string, string?> CopyGroups = new() { ["Hub:Audit:Writers"] = "1", ["Hub:Audit:SealInterval"] = "00:01:00", ["Hub:Audit:CopyFrom"] = "4" };

    [Fact]
    public async Task CallsArrivingDuringACommit_ShareOneTransaction_EachAnsweredAfterItsEntryIsCommitted()
    {
        var gate = new AuditInsertGate();
        await using var hub = await StartAsync(await postgres.CreateDatabaseAsync(), OneWriter, gate);
        var receipts = new ReceiptService.ReceiptServiceClient(hub.AgencyChannel("court"));
        await receipts.GetReceiptKeysAsync(new()); // warm: token, channel
        var committer = hub.Services.GetRequiredService<AuditCommitter>();
        var before = gate.Inserts;

        gate.Close();
        var first = receipts.GetReceiptKeysAsync(new()).ResponseAsync;
        await gate.HeldAsync();
        var queued = Enumerable.Range(0, 20).Select(_ => receipts.GetReceiptKeysAsync(new()).ResponseAsync).ToList();
        await Eventually.HoldsAsync(() => committer.Waiting == 21);
        await Task.Delay(200);
        Assert.False(first.IsCompleted);
        Assert.All(queued, q => Assert.False(q.IsCompleted));
        gate.Open();
        await first;
        await Task.WhenAll(queued);

        Assert.Equal(2, gate.Inserts - before);
        Assert.Equal(20, gate.LargestGroup);
        var entries = (await new AuditService.AuditServiceClient(hub.AgencyChannel("supervision"))
            .ListAuditEntriesAsync(new ListAuditEntriesRequest { AgencyId = "court", PageSize = 100 })).Entries;
        var keys = entries.Where(e => e.Method.EndsWith("/GetReceiptKeys", StringComparison.Ordinal)).ToList();
        Assert.Equal(22, keys.Count);
        Assert.Equal(22, keys.Select(e => e.Sequence).Distinct().Count());
    }

    [Fact]
    public async Task OneEntryThatCannotBeWritten_FailsOnlyItsOwnCall()
    {
        var gate = new AuditInsertGate();
        await using var hub = await StartAsync(await postgres.CreateDatabaseAsync(), OneWriter, gate);
        var court = new ReceiptService.ReceiptServiceClient(hub.AgencyChannel("court"));
        var finance = new ReceiptService.ReceiptServiceClient(hub.AgencyChannel("finance"));
        await court.GetReceiptKeysAsync(new());
        await finance.GetReceiptKeysAsync(new());
        var committer = hub.Services.GetRequiredService<AuditCommitter>();

        gate.Close();
        var first = court.GetReceiptKeysAsync(new()).ResponseAsync;
        await gate.HeldAsync();
        gate.RefuseAgency = "finance"; // as a constraint would refuse the entry: not an outage
        var good = Enumerable.Range(0, 5).Select(_ => court.GetReceiptKeysAsync(new()).ResponseAsync).ToList();
        var refused = finance.GetReceiptKeysAsync(new()).ResponseAsync;
        await Eventually.HoldsAsync(() => committer.Waiting == 7);
        gate.Open();

        await first;
        await Task.WhenAll(good);
        var e = await Assert.ThrowsAsync<RpcException>(() => refused);
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Equal("AUDIT_UNAVAILABLE", TestData.Reason(e));
    }

    [Fact]
    public async Task DatabaseUnavailableDuringAGroup_EveryCallOfTheGroupUnavailable_NoRetryStorm()
    {
        var gate = new AuditInsertGate();
        await using var hub = await StartAsync(await postgres.CreateDatabaseAsync(), OneWriter, gate);
        var receipts = new ReceiptService.ReceiptServiceClient(hub.AgencyChannel("court"));
        await receipts.GetReceiptKeysAsync(new());
        var committer = hub.Services.GetRequiredService<AuditCommitter>();

        gate.Close();
        var first = receipts.GetReceiptKeysAsync(new()).ResponseAsync;
        await gate.HeldAsync();
        var group = Enumerable.Range(0, 8).Select(_ => receipts.GetReceiptKeysAsync(new()).ResponseAsync).ToList();
        await Eventually.HoldsAsync(() => committer.Waiting == 9);
        gate.Outage = true;
        var attemptsBefore = gate.Attempts;
        gate.Open();

        await first;
        foreach (var call in group)
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => call);
            Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        }

        Assert.Equal(2, gate.Attempts - attemptsBefore); // the held insert, then the group's one attempt
        gate.Outage = false;
        await receipts.GetReceiptKeysAsync(new());
    }

    [Fact]
    public async Task LargeGroup_GoesByCopyWithItsChecksRows_InOneTransaction_AndTheChainVerifies()
    {
        var (gate, database) = (new AuditInsertGate(), await postgres.CreateDatabaseAsync());
        await using var hub = await StartAsync(database, CopyGroups, gate);
        var receipts = new ReceiptService.ReceiptServiceClient(hub.AgencyChannel("court"));
        var appraisal = new AppraisalService.AppraisalServiceClient(hub.AgencyChannel("drc"));
        await receipts.GetReceiptKeysAsync(new());
        await appraisal.CheckCandidateAsync(Check());
        var committer = hub.Services.GetRequiredService<AuditCommitter>();
        var checksBefore = await ScalarAsync(database, "SELECT count(*) FROM appraisal_checks");
        var insertsBefore = gate.Inserts;

        gate.Close();
        var first = receipts.GetReceiptKeysAsync(new()).ResponseAsync;
        await gate.HeldAsync();
        var keys = Enumerable.Range(0, 10).Select(_ => receipts.GetReceiptKeysAsync(new()).ResponseAsync).ToList();
        var checks = Enumerable.Range(0, 5).Select(_ => appraisal.CheckCandidateAsync(Check()).ResponseAsync).ToList();
        await Eventually.HoldsAsync(() => committer.Waiting == 16);
        gate.Open();
        await first;
        await Task.WhenAll(keys);
        await Task.WhenAll(checks);

        Assert.Equal(1, gate.Inserts - insertsBefore); // the held one; the group of 15 went by COPY
        Assert.Equal(checksBefore + 5, await ScalarAsync(database, "SELECT count(*) FROM appraisal_checks"));
        // The last 15 entries are the group's: written by one transaction.
        Assert.Equal(1, await ScalarAsync(database, """SELECT count(DISTINCT xmin::text) FROM (SELECT xmin FROM audit_entries ORDER BY "Sequence" DESC LIMIT 15) g"""));
        var sealer = hub.Services.GetRequiredService<AuditSealer>();
        var audit = new AuditService.AuditServiceClient(hub.AgencyChannel("supervision"));
        for (var tries = 0; tries < 100 && await ScalarAsync(database, "SELECT count(*) FROM audit_entries WHERE \"EntryHash\" IS NULL") > 0; tries++)
        {
            await sealer.SealOnceAsync(CancellationToken.None);
            await Task.Delay(50);
        }

        var verified = await audit.VerifyAuditChainAsync(new VerifyAuditChainRequest());
        Assert.True(verified.Intact, verified.FirstProblem?.Description);
    }

    [Fact]
    public async Task LargeGroupByCopy_OneEntryRefused_FailsOnlyItsOwnCall()
    {
        var (gate, database) = (new AuditInsertGate(), await postgres.CreateDatabaseAsync());
        await using var hub = await StartAsync(database, CopyGroups, gate);
        var court = new ReceiptService.ReceiptServiceClient(hub.AgencyChannel("court"));
        var finance = new ReceiptService.ReceiptServiceClient(hub.AgencyChannel("finance"));
        await court.GetReceiptKeysAsync(new());
        await finance.GetReceiptKeysAsync(new());
        var committer = hub.Services.GetRequiredService<AuditCommitter>();
        await ScalarAsync(database, """
            CREATE FUNCTION refuse_finance() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE check_violation USING MESSAGE = 'refused'; END $$;
            CREATE TRIGGER refuse_finance BEFORE INSERT ON audit_entries FOR EACH ROW WHEN (NEW."AgencyId" = 'finance') EXECUTE FUNCTION refuse_finance();
            SELECT 0;
            """);

        gate.Close();
        var first = court.GetReceiptKeysAsync(new()).ResponseAsync;
        await gate.HeldAsync();
        var good = Enumerable.Range(0, 6).Select(_ => court.GetReceiptKeysAsync(new()).ResponseAsync).ToList();
        var refused = finance.GetReceiptKeysAsync(new()).ResponseAsync;
        await Eventually.HoldsAsync(() => committer.Waiting == 8);
        gate.Open();

        await first;
        await Task.WhenAll(good);
        var e = await Assert.ThrowsAsync<RpcException>(() => refused);
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Equal("AUDIT_UNAVAILABLE", TestData.Reason(e));
    }

    private static Task<HubHost> StartAsync(string database, Dictionary<string, string?> settings, AuditInsertGate gate) =>
        HubHost.StartAsync(database, settings, services: s => s.AddSingleton<IInterceptor>(gate));

    private static CheckCandidateRequest Check() => new()
    {
        Purpose = new Purpose { AppraisalType = AppraisalType.Honors, CaseReference = "内组干〔2026〕3号" },
        Subject = new SubjectKey { CreditCode = TestData.NewCreditCode() },
    };

    private static async Task<long> ScalarAsync(string database, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Sees every INSERT into audit_entries: can hold the next one until opened, refuse a group holding
    /// one agency's entry (as a constraint would), or fail it as an unreachable database would.
    /// </summary>
    private sealed class AuditInsertGate : DbCommandInterceptor
    {
        private readonly CommandHold _hold = new();
        private int _inserts;
        private int _attempts;
        private int _largest;

        public int Inserts => Volatile.Read(ref _inserts);

        public int Attempts => Volatile.Read(ref _attempts);

        public int LargestGroup => Volatile.Read(ref _largest);

        public volatile string? RefuseAgency;

        public volatile bool Outage;

        public void Close() => _hold.Close();

        public void Open() => _hold.Open();

        public Task HeldAsync() => _hold.HeldAsync();

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("INSERT INTO audit_entries", StringComparison.Ordinal))
            {
                // As the insert arrives: one held before a failure is set is not failed by it.
                var outage = Outage;
                var refuse = RefuseAgency;
                await _hold.PassAsync();

                Interlocked.Increment(ref _attempts);
                if (outage)
                {
                    throw new Npgsql.NpgsqlException("Failed to connect", new System.Net.Sockets.SocketException(111));
                }

                var values = command.Parameters.Cast<DbParameter>().Select(p => p.Value as string).ToList();
                if (refuse is not null && values.Contains(refuse))
                {
                    throw new SqliteException("CHECK constraint failed", 19);
                }

                Interlocked.Increment(ref _inserts);
                var rows = command.CommandText.Split("INSERT INTO audit_entries").Length - 1;
                var group = Math.Max(rows, command.CommandText.Split("), (").Length);
                InterlockedMax(ref _largest, group);
            }

            return await base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int current;
            while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
            {
            }
        }
    }
}
