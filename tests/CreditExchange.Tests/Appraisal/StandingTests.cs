using CreditExchange.Contracts.Appraisal.V1;
using CreditExchange.Contracts.CreditFile.V1;
using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Contracts.Statistics.V1;
using CreditExchange.Server.Lifecycle;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static CreditExchange.Tests.Appraisal.AppraisalTestData;
using Record = CreditExchange.Contracts.Records.V1.Record;

namespace CreditExchange.Tests.Appraisal;

/// <summary>
/// One record, one date, one answer everywhere: records, appraisal, credit file and statistics
/// agree on a record's standing after every lifecycle path, driven through the public RPCs.
/// </summary>
[Collection("postgres")]
public sealed class StandingTests(PostgresFixture postgres) : IAsyncLifetime
{
    /// <summary>Promotion by the sanction period (公职人员政务处分法 art. 22), honors by a 36-month window.</summary>
    private const string Rules = """
        {"ruleSets": [{"version": "standing-1", "effectiveFrom": "2000-01-01", "appraisalTypes": {
          "Honors": {"lookBackMonths": 36, "disqualifying": [
            {"category": "JudicialJudgment", "minimumSeverity": "General"},
            {"category": "BreachOfCommitment", "minimumSeverity": "General"},
            {"category": "DisciplinarySanction", "minimumSeverity": "Minor"}]},
          "Promotion": {"lookBackMonths": 24, "countsBy": "PeriodOfEffect", "disqualifying": [
            {"category": "DisciplinarySanction", "minimumSeverity": "Minor"},
            {"category": "JudicialJudgment", "minimumSeverity": "General"}]},
          "AnnualExcellence": {"lookBackMonths": 12, "countsBy": "Both", "disqualifying": [
            {"category": "DisciplinarySanction", "minimumSeverity": "Minor"}]},
          "IntegrityRating": {"lookBackMonths": 36, "disqualifying": [
            {"category": "JudicialJudgment", "minimumSeverity": "General"}]}
        }}]}
        """;

    private readonly string _rulesFile = WriteRules(Rules);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 20, 2, 0, 0, TimeSpan.Zero)); // 10:00 Beijing
    private HubHost _hub = null!;

    private DateOnly Today => DateOnly.FromDateTime(_clock.GetUtcNow().AddHours(8).DateTime);

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(
        await postgres.CreateDatabaseAsync(), new Dictionary<string, string?> { ["Hub:Appraisal:RulesFile"] = _rulesFile }, _clock);

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        File.Delete(_rulesFile);
    }

    [Fact]
    public async Task Correction_TypoInSeriousSanction_StillIneligibleInForceAndCounted()
    {
        var person = TestData.CivilServantSubject();
        var id = await SubmitSanctionAsync(person, Severity.Serious, SanctionKind.RemovalFromPost, Today.AddDays(-30));
        Assert.Equal(Decision.Ineligible, (await CheckAsync(person, AppraisalType.Promotion)).Decision);

        var corrected = await DriveToAsync(_hub, id, RecordStatus.Corrected);

        Assert.Equal(RecordStatus.Corrected, corrected.Status);
        var promotion = await CheckAsync(person, AppraisalType.Promotion);
        Assert.Equal(Decision.Ineligible, promotion.Decision);
        Assert.Equal((id, RecordStatus.Corrected), (promotion.DecidingRecords.Single().RecordId, promotion.DecidingRecords[0].Status));
        await AssertStandingEverywhereAsync(person, id, inForce: true, counted: 1);
    }

    [Fact]
    public async Task ObjectionAnsweredWithCorrection_StillIneligible()
    {
        var person = TestData.CivilServantSubject();
        var id = await SubmitSanctionAsync(person, Severity.General, SanctionKind.Demerit, Today.AddDays(-30));
        var disputed = await DriveToAsync(_hub, id, RecordStatus.InDispute);
        var objection = (await Lifecycle("drc").GetRecordHistoryAsync(new GetRecordHistoryRequest { RecordId = id })).Objections.Single();
        var content = disputed.Content.Clone();
        content.Facts = "经复核，更正部分事实表述。";

        var answered = await Lifecycle("supervision").AnswerObjectionAsync(new AnswerObjectionRequest
        {
            ObjectionId = objection.ObjectionId, ExpectedVersion = disputed.Version, Outcome = ObjectionState.Corrected, Answer = "部分更正", CorrectedContent = content,
        });

        Assert.Equal(RecordStatus.Corrected, answered.Record.Status);
        Assert.Equal(Decision.Ineligible, (await CheckAsync(person, AppraisalType.Honors)).Decision);
        await AssertStandingEverywhereAsync(person, id, inForce: true, counted: 1);
    }

    [Fact]
    public async Task Revocation_ClearsTheRecordEverywhere()
    {
        var body = Body();
        var id = await SubmitAsync(_hub, Record(body, Category.JudicialJudgment, Severity.Serious, Today.AddDays(-30)));

        await DriveToAsync(_hub, id, RecordStatus.Revoked);

        Assert.Equal(Decision.Priority, (await CheckAsync(body, AppraisalType.Honors)).Decision);
        await AssertStandingEverywhereAsync(body, id, inForce: false, counted: 0);
    }

    [Fact]
    public async Task Repair_StopsSharingAndUseButTheSourceAndHistoryKeepIt()
    {
        // A breach of a credit commitment (finance): credit repair reaches it.
        var body = Body();
        var id = await SubmitAsync(_hub, Record(body, Category.BreachOfCommitment, Severity.General, Today.AddDays(-120)));
        Assert.Equal(Decision.Ineligible, (await CheckAsync(body, AppraisalType.Honors, "hrss")).Decision);

        await DriveToAsync(_hub, id, RecordStatus.Repaired);

        // Other agencies no longer get it, in any read, and it no longer blocks priority.
        foreach (var agency in new[] { "hrss", "organization", "drc" })
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => _hub.Records(agency).GetRecordAsync(new GetRecordRequest { RecordId = id }).ResponseAsync);
            Assert.Equal((StatusCode.NotFound, "RECORD_NOT_FOUND"), (e.StatusCode, TestData.Reason(e)));
            Assert.Empty((await _hub.Records(agency).ListSubjectRecordsAsync(new ListSubjectRecordsRequest { Subject = KeyOf(body) })).Records);
            Assert.Empty((await CreditFile(agency, body)).Entries);
        }

        Assert.Equal(Decision.Priority, (await CheckAsync(body, AppraisalType.Honors, "hrss")).Decision);
        Assert.Equal(0, await CountAsync());
        Assert.False((await _hub.Records("finance").GetRecordAsync(new GetRecordRequest { RecordId = id })).Record.Standing.Publishable);

        // The source agency keeps it; its history stays with the source and with the platform acting for the subject.
        var own = (await _hub.Records("finance").GetRecordAsync(new GetRecordRequest { RecordId = id })).Record;
        Assert.Equal((RecordStatus.Repaired, false), (own.Status, own.Standing.InForce));
        Assert.Single((await CreditFile("finance", body)).Entries);
        Assert.Equal(RecordChange.RepairDecided, (await Lifecycle("drc").GetRecordHistoryAsync(new GetRecordHistoryRequest { RecordId = id })).Versions[^1].Change);
        var hidden = await Assert.ThrowsAsync<RpcException>(() => Lifecycle("hrss").GetRecordHistoryAsync(new GetRecordHistoryRequest { RecordId = id }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, hidden.StatusCode);
        var revoke = await Assert.ThrowsAsync<RpcException>(() =>
            Lifecycle("organization").RevokeRecordAsync(new RevokeRecordRequest { RecordId = id, ExpectedVersion = own.Version, Reason = "x" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, revoke.StatusCode); // not even its existence is shared
    }

    [Fact]
    public async Task GeneralRecord400DaysOld_SameAnswerBeforeAndAfterTheSweep()
    {
        // Its disclosure period (general: 12 months) has ended: expired from publication, not cleared.
        var person = TestData.CivilServantSubject();
        var id = await SubmitSanctionAsync(person, Severity.General, SanctionKind.Unspecified, Today.AddDays(-400));
        var before = await SnapshotAsync(person, id);

        Assert.Equal(1, await _hub.Services.GetRequiredService<ExpirySweeper>().ExpireDueAsync());

        var after = await SnapshotAsync(person, id);
        Assert.Equal((RecordStatus.Active, RecordStatus.Expired), (before.Status, after.Status));
        Assert.Equal(before with { Status = RecordStatus.Expired }, after);
        Assert.Equal((Decision.Ineligible, true, true, false, 1L), (after.Honors, after.InForce, after.DisclosureEnded, after.Publishable, after.Counted));
    }

    [Fact]
    public async Task Promotion_WarningBarsForSixMonths_RemovalFromPostForTwentyFour()
    {
        var decided = Today.AddDays(-5);
        var warned = TestData.CivilServantSubject();
        var removed = TestData.CivilServantSubject();
        var warning = await SubmitSanctionAsync(warned, Severity.Minor, SanctionKind.Warning, decided);
        var removal = await SubmitSanctionAsync(removed, Severity.General, SanctionKind.RemovalFromPost, decided);

        var warningRecord = (await _hub.Records("drc").GetRecordAsync(new GetRecordRequest { RecordId = warning })).Record;
        Assert.Equal(Iso(decided.AddMonths(6).AddDays(-1)), warningRecord.Standing.EffectEndDate);

        await MoveToAsync(decided.AddMonths(6).AddDays(-1)); // the warning's last day
        Assert.Equal(Decision.Ineligible, (await CheckAsync(warned, AppraisalType.Promotion)).Decision);
        await MoveToAsync(decided.AddMonths(6));
        Assert.Equal(Decision.Eligible, (await CheckAsync(warned, AppraisalType.Promotion)).Decision); // still a record, no longer a bar
        Assert.Equal(Decision.Ineligible, (await CheckAsync(removed, AppraisalType.Promotion)).Decision);
        Assert.False((await _hub.Records("drc").GetRecordAsync(new GetRecordRequest { RecordId = warning })).Record.Standing.InForce);

        await MoveToAsync(decided.AddMonths(24).AddDays(-1));
        var last = await CheckAsync(removed, AppraisalType.Promotion);
        Assert.Equal((Decision.Ineligible, Iso(decided.AddMonths(24).AddDays(-1))), (last.Decision, last.DecidingRecords.Single().EffectEndDate));
        await MoveToAsync(decided.AddMonths(24));
        Assert.Equal(Decision.Eligible, (await CheckAsync(removed, AppraisalType.Promotion)).Decision);
        Assert.Equal(removal, (await _hub.Records("drc").GetRecordAsync(new GetRecordRequest { RecordId = removal })).Record.RecordId);
    }

    [Fact]
    public async Task Dismissal_PeriodOfEffectNeverEnds()
    {
        var person = TestData.CivilServantSubject();
        var id = await SubmitSanctionAsync(person, Severity.Serious, SanctionKind.Dismissal, Today.AddDays(-10));

        await MoveToAsync(Today.AddYears(5));

        var record = (await _hub.Records("drc").GetRecordAsync(new GetRecordRequest { RecordId = id })).Record;
        var promotion = await CheckAsync(person, AppraisalType.Promotion);
        var honors = await CheckAsync(person, AppraisalType.Honors);
        var annual = await CheckAsync(person, AppraisalType.AnnualExcellence);
        Assert.Equal((true, "", true), (record.Standing.EffectIndefinite, record.Standing.EffectEndDate, record.Standing.InForce));
        Assert.Equal(Decision.Ineligible, promotion.Decision);          // period of effect
        Assert.Equal(Decision.Eligible, honors.Decision);               // outside the 36-month window, but still in effect: a record
        Assert.Equal(Decision.Ineligible, annual.Decision);             // both: in effect suffices
        Assert.True(promotion.DecidingRecords.Single().EffectIndefinite);
        Assert.Equal(AppraisalBasis.PeriodOfEffect, (await CheckResponseAsync(person, AppraisalType.Promotion)).Rules.Basis);
    }

    [Fact]
    public async Task Statistics_AsOfDate_DecidesWhatIsInForce()
    {
        var person = TestData.CivilServantSubject();
        var decided = Today.AddMonths(-8);
        await SubmitSanctionAsync(person, Severity.Minor, SanctionKind.Warning, decided); // in effect for 6 months

        var now = await Statistics(new GetRecordStatisticsRequest { DecisionDateFrom = "2000-01-01", DecisionDateTo = Iso(Today) });
        var then = await Statistics(new GetRecordStatisticsRequest { DecisionDateFrom = "2000-01-01", DecisionDateTo = Iso(Today), AsOfDate = Iso(decided.AddMonths(3)) });
        var byStatus = await Statistics(new GetRecordStatisticsRequest { DecisionDateFrom = "2000-01-01", DecisionDateTo = Iso(Today), Statuses = { RecordStatus.Active } });
        var future = await Assert.ThrowsAsync<RpcException>(() =>
            Client().GetRecordStatisticsAsync(new GetRecordStatisticsRequest { DecisionDateFrom = "2000-01-01", DecisionDateTo = Iso(Today), AsOfDate = Iso(Today.AddDays(1)) }).ResponseAsync);

        Assert.Equal((0L, Iso(Today)), (now.TotalRecordCount, now.AsOfDate));
        Assert.Equal((1L, Iso(decided.AddMonths(3))), (then.TotalRecordCount, then.AsOfDate));
        Assert.Equal(1L, byStatus.TotalRecordCount);
        Assert.Equal(StatusCode.InvalidArgument, future.StatusCode);
        Assert.Contains("as_of_date", TestData.ViolatedFields(future));
    }

    private sealed record Snapshot(RecordStatus Status, Decision Honors, bool InForce, bool DisclosureEnded, bool Publishable, int InForceCount, long Counted);

    private async Task<Snapshot> SnapshotAsync(Subject subject, string id)
    {
        var record = (await _hub.Records("drc").GetRecordAsync(new GetRecordRequest { RecordId = id })).Record;
        var file = await CreditFile("drc", subject);
        return new Snapshot(
            record.Status, (await CheckAsync(subject, AppraisalType.Honors)).Decision, record.Standing.InForce, record.Standing.DisclosureEnded,
            record.Standing.Publishable, file.InForceCount, await CountAsync());
    }

    /// <summary>The record's standing as GetRecord, the credit file and the statistics state it, which must agree.</summary>
    private async Task AssertStandingEverywhereAsync(Subject subject, string id, bool inForce, long counted)
    {
        var record = (await _hub.Records("drc").GetRecordAsync(new GetRecordRequest { RecordId = id })).Record;
        var file = await CreditFile("drc", subject);
        var entry = file.Entries.Single(e => e.Record.RecordId == id).Record;
        Assert.Equal(inForce, record.Standing.InForce);
        Assert.Equal(record.Standing, entry.Standing);
        Assert.Equal((inForce ? 1 : 0, Iso(Today)), (file.InForceCount, file.AsOfDate));
        Assert.Equal(counted, await CountAsync());
        Assert.Equal(Iso(Today), record.Standing.AsOfDate);
    }

    private async Task<long> CountAsync() =>
        (await Statistics(new GetRecordStatisticsRequest { DecisionDateFrom = "2000-01-01", DecisionDateTo = Iso(Today) })).TotalRecordCount;

    private async Task<string> SubmitSanctionAsync(Subject person, Severity severity, SanctionKind kind, DateOnly decided)
    {
        var request = Record(person, Category.DisciplinarySanction, severity, decided);
        request.Record.SanctionKind = kind;
        request.Record.Penalty.Kinds.Clear();
        return (await _hub.Records("supervision").SubmitRecordAsync(request)).Record.RecordId;
    }

    private async Task MoveToAsync(DateOnly day)
    {
        _clock.SetUtcNow(new DateTimeOffset(day.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8)).ToUniversalTime());
        await Task.Yield();
    }

    private async Task<CandidateResult> CheckAsync(Subject subject, AppraisalType type, string agency = "drc") =>
        (await CheckResponseAsync(subject, type, agency)).Result;

    private Task<CheckCandidateResponse> CheckResponseAsync(Subject subject, AppraisalType type, string agency = "drc") =>
        new AppraisalService.AppraisalServiceClient(_hub.AgencyChannel(agency)).CheckCandidateAsync(new CheckCandidateRequest
        {
            Purpose = new Purpose { AppraisalType = type, CaseReference = "测试-2026-1" },
            Subject = KeyOf(subject),
        }).ResponseAsync;

    private async Task<CreditFile> CreditFile(string agency, Subject subject) =>
        (await new CreditFileService.CreditFileServiceClient(_hub.AgencyChannel(agency)).GetCreditFileAsync(new GetCreditFileRequest { Subject = KeyOf(subject) })).CreditFile;

    private Task<GetRecordStatisticsResponse> Statistics(GetRecordStatisticsRequest request) => Client().GetRecordStatisticsAsync(request).ResponseAsync;

    private StatisticsService.StatisticsServiceClient Client() => new(_hub.AgencyChannel("drc"));

    private LifecycleService.LifecycleServiceClient Lifecycle(string agency) => new(_hub.AgencyChannel(agency));

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
