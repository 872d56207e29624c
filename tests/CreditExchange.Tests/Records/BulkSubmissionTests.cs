using CreditExchange.Contracts.CreditFile.V1;
using CreditExchange.Contracts.Feed.V1;
using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Receipts.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Receipts;
using CreditExchange.Storage;
using CreditExchange.Tests.Feed;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using CreditExchange.Tests.Lifecycle;
using Grpc.Core;
using Npgsql;

namespace CreditExchange.Tests.Records;

/// <summary>
/// A batch of <see cref="RecordStore.CopyFrom"/> or more new records goes in by binary COPY on PostgreSQL: it is
/// stored exactly as row-by-row submissions are (readable, with receipts, named persons, history and feed events),
/// whole or not at all, and a retry or a concurrent copy of the same batch stores nothing twice.
/// </summary>
[Collection("postgres")]
public sealed class BulkSubmissionTests(PostgresFixture postgres)
{
    private const int Size = RecordStore.CopyFrom + 10;

    [Fact]
    public async Task SubmitRecords_LargeBatch_StoredAsRowByRow_AndRetryStoresNothing()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var hub = await HubHost.StartAsync(database);
        using var feed = hub.Feed("drc").Subscribe(new SubscribeRequest { AfterSequence = 0 });
        var principal = TestData.NewResidentId();
        var batch = Batch(principal);
        var before = hub.CountRecords();

        var response = await hub.Records("court").SubmitBatchAsync(batch);

        Assert.Equal(Size, response.AcceptedCount);
        Assert.Equal(before + Size, hub.CountRecords());
        var keys = (await new ReceiptService.ReceiptServiceClient(hub.AgencyChannel("court")).GetReceiptKeysAsync(new GetReceiptKeysRequest())).Keys;
        var sequences = new HashSet<long>();
        for (var i = 0; i < Size; i++)
        {
            var result = response.Results[i];
            Assert.False(result.Duplicate);
            var payload = ReceiptVerifier.Verify(result.Receipt, keys);
            Assert.NotNull(payload);
            Assert.True(ReceiptVerifier.Covers(payload, batch[i].Record));
            Assert.Equal(result.Record.RecordId, payload.RecordId);
            Assert.True(sequences.Add(payload.Sequence));
            var stored = (await hub.Records("court").GetRecordAsync(new GetRecordRequest { RecordId = result.Record.RecordId })).Record;
            Assert.Equal(result.Record, stored);
        }

        var history = await hub.Lifecycle("court").GetRecordHistoryAsync(new GetRecordHistoryRequest { RecordId = response.Results[0].Record.RecordId });
        Assert.Equal(RecordChange.Submitted, Assert.Single(history.Versions).Change);
        var events = await feed.ReadEventsAsync(Size);
        Assert.Equal(response.Results.Select(r => r.Record.RecordId).Order(), events.Select(e => e.RecordId).Order());
        var file = (await new CreditFileService.CreditFileServiceClient(hub.AgencyChannel("drc")).GetCreditFileAsync(
            new GetCreditFileRequest { Subject = new SubjectKey { ResidentId = principal } })).CreditFile;
        Assert.Equal(Size / 3, file.Entries.Count(e => e.ResponsibleRole == ResponsibleRole.Principal));

        // The same batch again, with one item changed and one repeated: duplicates, a conflict, nothing stored.
        var retry = batch.Select(b => b.Clone()).ToList();
        retry[1].Record.Remarks = "changed";
        retry.Add(batch[0]);
        var again = await hub.Records("court").SubmitBatchAsync(retry);

        Assert.Equal(before + Size, hub.CountRecords());
        Assert.Equal("SOURCE_ID_CONFLICT", again.Results[1].Error.Reason);
        Assert.All(again.Results.Where(r => r.Index != 1), r => Assert.True(r.Duplicate));
        Assert.Equal(response.Results[0].Record.RecordId, again.Results[Size].Record.RecordId);
    }

    [Fact]
    public async Task SubmitRecords_SameLargeBatchTwiceAtOnce_EachRecordStoredOnce()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var hub = await HubHost.StartAsync(database);
        var batch = Batch(TestData.NewResidentId());
        var before = hub.CountRecords();

        // Both read "none stored" before either commits: the second copy meets the first on the unique index.
        await ExecuteAsync(database, """
            CREATE FUNCTION slow_copy() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.5); RETURN NULL; END $$;
            CREATE TRIGGER slow_copy BEFORE INSERT ON records FOR EACH STATEMENT EXECUTE FUNCTION slow_copy();
            """);
        var responses = await Task.WhenAll(hub.Records("court").SubmitBatchAsync(batch), hub.Records("court").SubmitBatchAsync(batch));

        Assert.Equal(before + Size, hub.CountRecords());
        Assert.All(responses, r => Assert.Equal(Size, r.AcceptedCount));
        Assert.Equal(responses[0].Results.Select(r => r.Record.RecordId), responses[1].Results.Select(r => r.Record.RecordId));
        Assert.Equal(Size, responses.SelectMany(r => r.Results).Count(r => !r.Duplicate));
    }

    [Fact]
    public async Task SubmitRecords_LargeBatchEventsRefused_NothingOfTheBatchStored()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var hub = await HubHost.StartAsync(database);
        var before = hub.CountRecords();
        await ExecuteAsync(database, """
            CREATE FUNCTION refuse_events() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE check_violation USING MESSAGE = 'refused'; END $$;
            CREATE TRIGGER refuse_events BEFORE INSERT ON record_events FOR EACH ROW EXECUTE FUNCTION refuse_events();
            """);

        var e = await Assert.ThrowsAsync<RpcException>(() => hub.Records("court").SubmitBatchAsync(Batch(TestData.NewResidentId())));
        await ExecuteAsync(database, "DROP TRIGGER refuse_events ON record_events");

        Assert.Equal(StatusCode.Internal, e.StatusCode);
        Assert.Equal(before, hub.CountRecords());
        var stored = await hub.Records("court").SubmitBatchAsync(Batch(TestData.NewResidentId()));
        Assert.Equal(Size, stored.AcceptedCount);
        Assert.Equal(before + Size, hub.CountRecords());
    }

    /// <summary>Government-body judgments, every third one in a PPP project naming <paramref name="principal"/>.</summary>
    private static List<SubmitRecordRequest> Batch(string principal) =>
        [.. Enumerable.Range(0, Size).Select(i => i % 3 == 0
            ? LawRecordsTestData.PppJudgment("2025-03-01", $"PPP-150102-2019-{i:D4}", principal, TestData.NewResidentId())
            : TestData.Submission())];

    private static async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
