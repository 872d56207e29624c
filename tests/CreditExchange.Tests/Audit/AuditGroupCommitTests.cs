using System.Data.Common;
using CreditExchange.Contracts.Audit.V1;
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
    private static readonly Dictionary<string, string?> OneWriter = new() { ["Hub:Audit:Writers"] = "1", ["Hub:Audit:SealInterval"] = "00:01:00" };

    [Fact]
    public async Task CallsArrivingDuringACommit_ShareOneTransaction_EachAnsweredAfterItsEntryIsCommitted()
    {
        var gate = new AuditInsertGate();
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), OneWriter, services: s => s.AddSingleton<IInterceptor>(gate));
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
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), OneWriter, services: s => s.AddSingleton<IInterceptor>(gate));
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
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), OneWriter, services: s => s.AddSingleton<IInterceptor>(gate));
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
