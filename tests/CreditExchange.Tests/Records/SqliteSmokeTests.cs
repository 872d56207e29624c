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
    public async Task LawRecords_PersonsProjectsListingsAndTownships_OnSqlite()
    {
        var principal = TestData.NewResidentId();
        var ppp = LawRecordsTestData.PppJudgment("2025-03-01", "PPP-SQLITE-1", principal, null, Appraisal.AppraisalTestData.Body("150102001"));
        var submitted = (await _hub.Records("court").SubmitRecordAsync(ppp)).Record;
        var listing = (await _hub.Records("court").SubmitRecordAsync(LawRecordsTestData.JudgmentDebtor("2025-03-01"))).Record;
        var lifecycle = new Contracts.Lifecycle.V1.LifecycleService.LifecycleServiceClient(_hub.AgencyChannel("court"));

        var project = await _hub.Records("drc").ListProjectRecordsAsync(new ListProjectRecordsRequest { ProjectCode = "PPP-SQLITE-1" });
        var file = (await new Contracts.CreditFile.V1.CreditFileService.CreditFileServiceClient(_hub.AgencyChannel("drc"))
            .GetCreditFileAsync(new Contracts.CreditFile.V1.GetCreditFileRequest { Subject = new SubjectKey { ResidentId = principal } })).CreditFile;
        var check = await new Contracts.Appraisal.V1.AppraisalService.AppraisalServiceClient(_hub.AgencyChannel("drc")).CheckCandidateAsync(new Contracts.Appraisal.V1.CheckCandidateRequest
        {
            Purpose = new Contracts.Appraisal.V1.Purpose { AppraisalType = Contracts.Appraisal.V1.AppraisalType.Promotion, CaseReference = "smoke" },
            Subject = new SubjectKey { ResidentId = principal },
        });
        var townships = await new Contracts.Statistics.V1.StatisticsService.StatisticsServiceClient(_hub.AgencyChannel("drc")).GetRecordStatisticsAsync(new Contracts.Statistics.V1.GetRecordStatisticsRequest
        {
            DecisionDateFrom = "2025-01-01", DecisionDateTo = "2025-12-31", GroupBy = { Contracts.Statistics.V1.Dimension.Region },
            RegionLevel = Contracts.Statistics.V1.RegionLevel.Township, DivisionCode = "150102001",
        });
        var removed = (await lifecycle.RemoveJudgmentDebtorListingAsync(new Contracts.Lifecycle.V1.RemoveJudgmentDebtorListingRequest
        {
            RecordId = listing.RecordId, ExpectedVersion = 1, Ground = ListingRemovalGround.EarlyRemoval, Reason = "提前删除",
        })).Record;

        Assert.Equal(submitted.RecordId, Assert.Single(project.Records).RecordId);
        Assert.Equal((submitted.RecordId, ResponsibleRole.Principal), (Assert.Single(file.Entries).Record.RecordId, file.Entries[0].ResponsibleRole));
        Assert.NotEqual(Contracts.Appraisal.V1.Decision.Unspecified, check.Result.Decision);
        Assert.Equal(("150102001", 1L), (Assert.Single(townships.Groups).Region.DivisionCode, townships.Groups[0].RecordCount));
        Assert.Equal((RecordStatus.Expired, false), (removed.Status, removed.Standing.InForce));
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
