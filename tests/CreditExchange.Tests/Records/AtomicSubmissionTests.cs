using System.Data.Common;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CreditExchange.Tests.Records;

/// <summary>
/// A submission is written whole or not at all on PostgreSQL, also when its rows go in more than one batch (a
/// record's persons need the sequence the database gives the record, so they follow in a second batch).
/// </summary>
[Collection("postgres")]
public sealed class AtomicSubmissionTests(PostgresFixture postgres)
{
    [Fact]
    public async Task SubmitRecord_PersonsRowsRefused_NothingOfTheRecordStored()
    {
        var persons = new RefusePersons();
        await using var hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), services: s => s.AddSingleton<IInterceptor>(persons));
        var court = hub.Records("court");
        var before = hub.CountRecords();

        persons.Refuse = true;
        var e = await Assert.ThrowsAsync<RpcException>(() =>
            court.SubmitRecordAsync(LawRecordsTestData.PppJudgment("2025-03-01", "PPP-ATOMIC-1", TestData.NewResidentId(), TestData.NewResidentId())).ResponseAsync);
        persons.Refuse = false;

        Assert.Equal(StatusCode.Internal, e.StatusCode);
        Assert.Equal(before, hub.CountRecords());
        var stored = await court.SubmitRecordAsync(LawRecordsTestData.PppJudgment("2025-03-01", "PPP-ATOMIC-2", TestData.NewResidentId(), TestData.NewResidentId()));
        Assert.False(stored.Duplicate);
        Assert.Equal(before + 1, hub.CountRecords());
    }

    /// <summary>Refuses, while set, every INSERT into record_persons, as a check constraint would.</summary>
    private sealed class RefusePersons : DbCommandInterceptor
    {
        public volatile bool Refuse;

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Check(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Check(command);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        private void Check(DbCommand command)
        {
            if (Refuse && command.CommandText.Contains("INSERT INTO record_persons", StringComparison.Ordinal))
            {
                throw new PostgresException("new row violates check constraint", "ERROR", "ERROR", "23514");
            }
        }
    }
}
