using CreditExchange.Contracts.Records.V1;
using CreditExchange.Tests.Hub;
using Grpc.Core;

namespace CreditExchange.Tests.Records;

/// <summary>The embedded default: the same hub on a fresh SQLite file, smoke-tested over real mTLS.</summary>
public sealed class SqliteSmokeTests : IAsyncLifetime
{
    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(postgresConnectionString: null);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task SubmitGetList_OnSqlite_RoundTrips()
    {
        var code = TestData.NewCreditCode();
        var court = _hub.Records("court");
        var first = await court.SubmitRecordAsync(TestData.Submission(subject: TestData.GovernmentSubject(code), decisionDate: "2024-01-02"));
        await court.SubmitRecordAsync(TestData.Submission(subject: TestData.GovernmentSubject(code), decisionDate: "2024-03-04"));

        var got = await _hub.Records("drc").GetRecordAsync(new GetRecordRequest { RecordId = first.Record.RecordId });
        var page1 = await _hub.Records("drc").ListSubjectRecordsAsync(new ListSubjectRecordsRequest { Subject = new SubjectKey { CreditCode = code }, PageSize = 1 });
        var page2 = await _hub.Records("drc").ListSubjectRecordsAsync(new ListSubjectRecordsRequest { Subject = new SubjectKey { CreditCode = code }, PageSize = 1, PageToken = page1.NextPageToken });

        Assert.Equal(first.Record, got.Record);
        Assert.Equal("2024-03-04", Assert.Single(page1.Records).Content.DecisionDate);
        Assert.Equal("2024-01-02", Assert.Single(page2.Records).Content.DecisionDate);
        Assert.Empty(page2.NextPageToken);
    }

    [Fact]
    public async Task SubmitRecord_RetryAndConflict_OnSqlite()
    {
        var court = _hub.Records("court");
        var request = TestData.Submission();
        var first = await court.SubmitRecordAsync(request);
        var retry = await court.SubmitRecordAsync(request);
        var changed = request.Clone();
        changed.Record.Facts = "不同";

        var e = await Assert.ThrowsAsync<RpcException>(() => court.SubmitRecordAsync(changed).ResponseAsync);

        Assert.True(retry.Duplicate);
        Assert.Equal(first.Record.RecordId, retry.Record.RecordId);
        Assert.Equal(StatusCode.AlreadyExists, e.StatusCode);
        Assert.Equal(1, _hub.CountRecords());
    }

    [Fact]
    public async Task SubmitRecords_MixedBatch_OnSqlite()
    {
        var bad = TestData.Submission();
        bad.Record.DecisionDate = "2024-13-01";
        using var call = _hub.Records("court").SubmitRecords();
        await call.RequestStream.WriteAsync(new SubmitRecordsRequest { Item = TestData.Submission() });
        await call.RequestStream.WriteAsync(new SubmitRecordsRequest { Item = bad });
        await call.RequestStream.CompleteAsync();

        var response = await call;

        Assert.Equal(1, response.AcceptedCount);
        Assert.Contains(response.Results[1].Error.FieldViolations, v => v.Field == "record.decision_date");
        Assert.Equal(1, _hub.CountRecords());
    }
}
