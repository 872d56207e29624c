using System.Collections;
using System.Data.Common;
using System.Net.Sockets;
using CreditExchange.Contracts.Appraisal.V1;
using CreditExchange.Contracts.CreditFile.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Records;
using CreditExchange.Storage;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static CreditExchange.Tests.Appraisal.AppraisalTestData;

namespace CreditExchange.Tests.Operations;

/// <summary>
/// Reads of a subject's records (a check's facts, a credit file's index) run whole: on PostgreSQL their rows are
/// streamed, not first buffered by EF Core (a subject with thousands of records held them twice, the copy in large
/// arrays), and a transient failure part way through the rows retries the read from the start, answering the same.
/// </summary>
[Collection("postgres")]
public sealed class WholeReadTests(PostgresFixture postgres)
{
    private static readonly DateOnly Today = ChinaCalendar.Today(TimeProvider.System);

    [Fact]
    public async Task ReadWhole_TheFirstRowArrivesBeforeTheRest_OutsideIt_EfCoreReadsEveryRowFirst()
    {
        var readers = new ReaderWatch();
        await using var hub = await StartAsync(readers);
        await FourRecordsAsync(hub);

        // What the reader had read when the query's first row reached the caller.
        async Task<int> RowsReadAtFirstRow(CreditDbContext db, CancellationToken ct)
        {
            await foreach (var _ in db.Records.AsNoTracking().Select(r => r.Id).AsAsyncEnumerable().WithCancellation(ct))
            {
                return readers.RowsRead;
            }

            throw new InvalidOperationException("No row.");
        }

        Assert.Equal(1, await WithDbAsync(hub, db => db.ReadWholeAsync(ct => RowsReadAtFirstRow(db, ct), CancellationToken.None)));
        Assert.Equal(4, await WithDbAsync(hub, db => RowsReadAtFirstRow(db, CancellationToken.None)));
    }

    [Fact]
    public async Task CheckCandidate_FactsReadFailsAfterItsFirstRow_ReadAgainWhole_SameAnswerAsWithoutTheFailure()
    {
        var readers = new ReaderWatch();
        await using var hub = await StartAsync(readers);
        var (subject, ids) = await FourRecordsAsync(hub);

        var client = new AppraisalService.AppraisalServiceClient(hub.AgencyChannel("drc"));
        var request = new CheckCandidateRequest
        {
            Purpose = new Purpose { AppraisalType = AppraisalType.Honors, CaseReference = "内组评〔2026〕7号" },
            Subject = KeyOf(subject),
        };
        readers.FailOnceAfterFirstRow(IsFactsQuery);
        var failedOnce = await client.CheckCandidateAsync(request);

        Assert.Equal(1, readers.Failures);
        Assert.False(readers.RetriedByEfCore, "the facts were buffered by EF Core's own retry, not read whole");
        var plain = await client.CheckCandidateAsync(request);
        Assert.Equal(Decision.Ineligible, failedOnce.Result.Decision);
        Assert.Equal(ids, failedOnce.Result.DecidingRecords.Select(r => r.RecordId));
        Assert.Equal(plain.Result.DecidingRecords.Select(r => r.RecordId), failedOnce.Result.DecidingRecords.Select(r => r.RecordId));
    }

    [Fact]
    public async Task GetCreditFile_IndexReadFailsAfterItsFirstRow_ReadAgainWhole_EveryEntryOnce()
    {
        var readers = new ReaderWatch();
        await using var hub = await StartAsync(readers);
        var (subject, ids) = await FourRecordsAsync(hub);

        var client = new CreditFileService.CreditFileServiceClient(hub.AgencyChannel("drc"));
        readers.FailOnceAfterFirstRow(IsIndexQuery);
        var file = (await client.GetCreditFileAsync(new GetCreditFileRequest { Subject = KeyOf(subject) })).CreditFile;

        Assert.Equal(1, readers.Failures);
        Assert.False(readers.RetriedByEfCore);
        Assert.Equal(ids, file.Entries.Select(e => e.Record.RecordId));
    }

    /// <summary>The facts query of a check: the records about the subject and those naming them, in one statement.</summary>
    private static bool IsFactsQuery(string sql) => sql.Contains("UNION ALL", StringComparison.Ordinal) && sql.Contains("record_persons", StringComparison.Ordinal);

    /// <summary>The credit file's index of the records about the subject (newest first, no content).</summary>
    private static bool IsIndexQuery(string sql) =>
        sql.Contains("FROM records AS", StringComparison.Ordinal) && sql.Contains("ORDER BY", StringComparison.Ordinal)
        && !sql.Contains("\"Content", StringComparison.Ordinal) && !sql.Contains("record_persons", StringComparison.Ordinal);

    /// <summary>Four records about one body, newest decision first.</summary>
    private static async Task<(Subject Subject, List<string> Ids)> FourRecordsAsync(HubHost hub)
    {
        var subject = Body();
        var ids = new List<string>();
        for (var i = 1; i <= 4; i++)
        {
            ids.Add(await SubmitAsync(hub, Record(subject, Category.JudicialJudgment, Severity.Serious, Today.AddDays(-i))));
        }

        return (subject, ids);
    }

    private async Task<HubHost> StartAsync(ReaderWatch readers)
    {
        var rules = WriteRules(StandardRules());
        return await HubHost.StartAsync(
            await postgres.CreateDatabaseAsync(),
            new Dictionary<string, string?> { ["Hub:Appraisal:RulesFile"] = rules },
            services: s => s.AddSingleton<IInterceptor>(readers));
    }

    /// <summary>
    /// Counts the rows the last query's reader has read, and can fail one chosen query once after its first row with a
    /// transient failure (a dropped connection), noting whether EF Core itself was about to retry it (buffering).
    /// </summary>
    private sealed class ReaderWatch : DbCommandInterceptor
    {
        private int _rows;
        private int _failures;
        private Func<string, bool>? _failOnce;

        public int RowsRead => Volatile.Read(ref _rows);

        public int Failures => Volatile.Read(ref _failures);

        public bool RetriedByEfCore { get; private set; }

        public void FailOnceAfterFirstRow(Func<string, bool> query) => _failOnce = query;

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            if (!command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase))
            {
                return ValueTask.FromResult(result); // a save's statements: its provider reads them as they are
            }

            Volatile.Write(ref _rows, 0);
            var fail = _failOnce is { } query && query(command.CommandText);
            if (fail)
            {
                _failOnce = null;
            }

            return ValueTask.FromResult<DbDataReader>(new WatchedReader(result, this, fail));
        }

        private void Read() => Interlocked.Increment(ref _rows);

        private void Fail()
        {
            Interlocked.Increment(ref _failures);
            RetriedByEfCore = ExecutionStrategy.Current?.RetriesOnFailure ?? false;
            throw new NpgsqlException("Injected: the connection dropped while rows were read.", new SocketException((int)SocketError.ConnectionReset));
        }

        /// <summary>A reader that tells its watch of every row read, and fails at its second row when told to.</summary>
        private sealed class WatchedReader(DbDataReader inner, ReaderWatch watch, bool fail) : DbDataReader
        {
            private int _rows;

            public override bool Read() => Counted(inner.Read());

            public override async Task<bool> ReadAsync(CancellationToken cancellationToken) => Counted(await inner.ReadAsync(cancellationToken));

            private bool Counted(bool read)
            {
                if (read && ++_rows == 2 && fail)
                {
                    watch.Fail();
                }

                if (read)
                {
                    watch.Read();
                }

                return read;
            }

            public override T GetFieldValue<T>(int ordinal) => inner.GetFieldValue<T>(ordinal);

            public override Task<T> GetFieldValueAsync<T>(int ordinal, CancellationToken cancellationToken) => inner.GetFieldValueAsync<T>(ordinal, cancellationToken);

            public override Task<bool> IsDBNullAsync(int ordinal, CancellationToken cancellationToken) => inner.IsDBNullAsync(ordinal, cancellationToken);

            public override Task<bool> NextResultAsync(CancellationToken cancellationToken) => inner.NextResultAsync(cancellationToken);

            public override int Depth => inner.Depth;

            public override int FieldCount => inner.FieldCount;

            public override bool HasRows => inner.HasRows;

            public override bool IsClosed => inner.IsClosed;

            public override int RecordsAffected => inner.RecordsAffected;

            public override object this[int ordinal] => inner[ordinal];

            public override object this[string name] => inner[name];

            public override bool GetBoolean(int ordinal) => inner.GetBoolean(ordinal);

            public override byte GetByte(int ordinal) => inner.GetByte(ordinal);

            public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => inner.GetBytes(ordinal, dataOffset, buffer, bufferOffset, length);

            public override char GetChar(int ordinal) => inner.GetChar(ordinal);

            public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => inner.GetChars(ordinal, dataOffset, buffer, bufferOffset, length);

            public override string GetDataTypeName(int ordinal) => inner.GetDataTypeName(ordinal);

            public override DateTime GetDateTime(int ordinal) => inner.GetDateTime(ordinal);

            public override decimal GetDecimal(int ordinal) => inner.GetDecimal(ordinal);

            public override double GetDouble(int ordinal) => inner.GetDouble(ordinal);

            public override IEnumerator GetEnumerator() => ((IEnumerable)inner).GetEnumerator();

            public override Type GetFieldType(int ordinal) => inner.GetFieldType(ordinal);

            public override float GetFloat(int ordinal) => inner.GetFloat(ordinal);

            public override Guid GetGuid(int ordinal) => inner.GetGuid(ordinal);

            public override short GetInt16(int ordinal) => inner.GetInt16(ordinal);

            public override int GetInt32(int ordinal) => inner.GetInt32(ordinal);

            public override long GetInt64(int ordinal) => inner.GetInt64(ordinal);

            public override string GetName(int ordinal) => inner.GetName(ordinal);

            public override int GetOrdinal(string name) => inner.GetOrdinal(name);

            public override string GetString(int ordinal) => inner.GetString(ordinal);

            public override object GetValue(int ordinal) => inner.GetValue(ordinal);

            public override int GetValues(object[] values) => inner.GetValues(values);

            public override bool IsDBNull(int ordinal) => inner.IsDBNull(ordinal);

            public override bool NextResult() => inner.NextResult();

            public override void Close() => inner.Close();

            public override Task CloseAsync() => inner.CloseAsync();

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    inner.Dispose();
                }

                base.Dispose(disposing);
            }

            public override async ValueTask DisposeAsync()
            {
                await inner.DisposeAsync();
                await base.DisposeAsync();
            }
        }
    }
}
