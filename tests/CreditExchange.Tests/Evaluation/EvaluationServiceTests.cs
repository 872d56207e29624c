using CreditExchange.Contracts.Audit.V1;
using CreditExchange.Contracts.Evaluation.V1;
using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using CreditExchange.Tests.Lifecycle;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using static CreditExchange.Tests.Appraisal.AppraisalTestData;

namespace CreditExchange.Tests.Evaluation;

/// <summary>
/// Integrity evaluation under the shipped standard (integrity-standards.json, version 2017-123-v1) through the public
/// RPCs on real PostgreSQL: every indicator of a seeded league against a hand computation, replayed, published and
/// frozen, and the rankings of leagues and counties.
/// </summary>
[Collection("postgres")]
public sealed class EvaluationServiceTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = LifecycleKit.NewClock(); // Thursday 2026-11-26, Beijing
    private HubHost _hub = null!;

    public async Task InitializeAsync() => _hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), time: _clock);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task ListIntegrityStandards_AnyAgency_ShippedStandardAsScoredWithLatestMarked()
    {
        // The standards are public data: an agency without query rights reads them too.
        var listed = await Client("court").ListIntegrityStandardsAsync(new ListIntegrityStandardsRequest());
        var shipped = Assert.Single(listed.Standards);
        Assert.Equal(("2017-123-v1", PeriodKind.Year, true), (shipped.Version, shipped.PeriodKind, shipped.Latest));
        Assert.Contains("四(一)", shipped.Source, StringComparison.Ordinal);
        Assert.Equal(100, shipped.Indicators.Sum(i => i.Weight));
        Assert.Equal(["A", "B", "C", "D"], shipped.Grades.Select(g => g.Grade));
        Assert.Equal((20, 5, 1_000_000_000), (shipped.RegionWarning.RecordCount, shipped.RegionWarning.SeriousCount, shipped.RegionWarning.ArrearsFen));
        Assert.Equal((3, 1, 100_000_000), (shipped.GovernmentBodyWarning.RecordCount, shipped.GovernmentBodyWarning.SeriousCount, shipped.GovernmentBodyWarning.ArrearsFen));
        var serious = shipped.Indicators.Single(i => i.Code == "serious_in_force");
        Assert.Equal((IndicatorKind.RecordsInForce, Severity.Serious), (serious.Kind, Assert.Single(serious.Severities)));
        Assert.Equal(Category.JudicialJudgment, Assert.Single(shipped.Indicators.Single(i => i.Code == "judgments_in_force").Categories));

        // What an evaluation scores is what the listing says, indicator by indicator.
        var evaluation = (await Client("drc").EvaluateIntegrityAsync(new EvaluateIntegrityRequest { Scope = new EvaluationScope { DivisionCode = "150100" }, Period = "2025" })).Evaluation;
        Assert.Equal(shipped.Indicators.Select(i => (i.Code, i.Name, i.Weight, i.Threshold)), evaluation.Indicators.Select(i => (i.Code, i.Name, i.Weight, i.Threshold)));
    }

    [Fact]
    public async Task EvaluateIntegrity_SeededLeague_MatchesHandComputationReplaysAndFreezesOncePublished()
    {
        // Hinggan League (152200): body A in Ulanhot (152201), body B in Arxan (152202); one body in Xilingol (152502).
        var a = Body("152201");
        var b = Body("152202");
        var x = Body("152502");
        var r1 = Record(a, Category.JudicialJudgment, Severity.Serious, new DateOnly(2026, 3, 1));
        var r2 = Record(a, Category.JudicialJudgment, Severity.General, new DateOnly(2026, 4, 1));                     // objection left unanswered
        var r3 = Record(b, Category.BreachOfCommitment, Severity.Minor, new DateOnly(2026, 5, 1), RecordDomain.GovernmentDebt, 30_000_000);
        var r4 = Record(b, Category.ProcuratorialOutcome, Severity.Serious, new DateOnly(2026, 6, 1));                 // revoked
        var r5 = Record(a, Category.BreachOfCommitment, Severity.Minor, new DateOnly(2026, 2, 1));                     // repaired
        var old = Record(a, Category.JudicialJudgment, Severity.Serious, new DateOnly(2025, 6, 1));                    // another period
        var r7 = Record(x, Category.BreachOfCommitment, Severity.Minor, new DateOnly(2026, 7, 1));                     // another league
        var ids = await SubmitAllAsync(_hub, [r1, r2, r3, r4, r5, old, r7]);
        await DriveToAsync(_hub, ids[r4.SourceRecordId], RecordStatus.Revoked);
        await DriveToAsync(_hub, ids[r5.SourceRecordId], RecordStatus.Repaired);
        var objection = (await _hub.Lifecycle("drc").FileObjectionAsync(new FileObjectionRequest
        {
            RecordId = ids[r2.SourceRecordId], ExpectedVersion = 1, Grounds = "事实有误。",
        })).Objection;
        Assert.Equal("2026-12-03", objection.AnswerDueDate);
        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2026, 12, 4), 10)); // the answer is late

        var league = new EvaluationScope { DivisionCode = "152200" };
        var running = (await Client("drc").EvaluateIntegrityAsync(new EvaluateIntegrityRequest { Scope = league, Period = "2026" })).Evaluation;

        // By hand, points = weight × 100 × (1 − min(value, threshold) / threshold), half away from zero:
        //   serious_in_force    r1                  1 of 3     25 → 1666.67 → 1667
        //   judgments_in_force  r1 r2               2 of 3     15 →  500
        //   records_in_force    r1 r2 r3            3 of 20    20 → 1700
        //   repaired            r5                  1 of 10     5 →  450
        //   revoked             r4                  1 (weight 0)    →    0
        //   overdue_handlings   r2's objection      1 of 3     10 →  666.67 → 667
        //   outstanding_arrears r3                  30,000,000 of 100,000,000 fen, 15 → 1050
        //   debt_risk_warning   3 in force, 1 serious, 30,000,000 fen: no region threshold (20, 5, 1,000,000,000) → 0 of 1, 10 → 1000
        //   score 7034 → C (6000 ≤ score < 7500)
        string Id(SubmitRecordRequest r) => ids[r.SourceRecordId];
        var expected = new (string Code, long Value, int Weight, long Threshold, int Points, string[] Records)[]
        {
            ("serious_in_force", 1, 25, 3, 1667, [Id(r1)]),
            ("judgments_in_force", 2, 15, 3, 500, [Id(r1), Id(r2)]),
            ("records_in_force", 3, 20, 20, 1700, [Id(r1), Id(r2), Id(r3)]),
            ("repaired", 1, 5, 10, 450, [Id(r5)]),
            ("revoked", 1, 0, 1, 0, [Id(r4)]),
            ("overdue_handlings", 1, 10, 3, 667, [Id(r2)]),
            ("outstanding_arrears", 30_000_000, 15, 100_000_000, 1050, [Id(r3)]),
            ("debt_risk_warning", 0, 10, 1, 1000, []),
        };
        Assert.Equal(expected.Select(e => (e.Code, e.Value, e.Weight, e.Threshold, e.Points, string.Join(",", e.Records.Order()))),
            running.Indicators.Select(i => (i.Code, i.Value, i.Weight, i.Threshold, i.PointsHundredths, string.Join(",", i.RecordIds.Order()))));
        Assert.Equal((7034, "C", "2017-123-v1", "2026-12-04", false), (running.ScoreHundredths, running.Grade, running.StandardVersion, running.AsOfDate, running.Published));
        Assert.Contains("内政发〔2017〕123号", running.StandardSource, StringComparison.Ordinal);

        // Deterministic: the same data and version give the same evaluation.
        Assert.Equal(running, (await Client("drc").EvaluateIntegrityAsync(new EvaluateIntegrityRequest { Scope = league, Period = "2026", StandardVersion = "2017-123-v1" })).Evaluation);

        var early = await Assert.ThrowsAsync<RpcException>(() => Publish(league));
        Assert.Equal((StatusCode.FailedPrecondition, "EVALUATION_PERIOD_NOT_ENDED"), (early.StatusCode, TestData.Reason(early)));

        // The period ends; as of 2026-12-31 the objection is still overdue, so the figures stand.
        _clock.SetUtcNow(LifecycleKit.Beijing(new DateOnly(2027, 1, 5), 10));
        var notPublisher = await Assert.ThrowsAsync<RpcException>(() => Publish(league, "organization"));
        Assert.Equal((StatusCode.PermissionDenied, "NOT_EVALUATION_PUBLISHER"), (notPublisher.StatusCode, TestData.Reason(notPublisher)));
        var published = await Publish(league);
        Assert.True(published.NewlyPublished);
        Assert.Equal((7034, "C", "2026-12-31", true, "drc"), (published.Evaluation.ScoreHundredths, published.Evaluation.Grade, published.Evaluation.AsOfDate, published.Evaluation.Published, published.Evaluation.PublishedBy));
        // The publication is audited: drc's PublishEvaluation calls, the refused one and the one that published.
        var audit = await new AuditService.AuditServiceClient(_hub.AgencyChannel("drc")).ListAuditEntriesAsync(new ListAuditEntriesRequest { AgencyId = "drc", PageSize = 500 });
        var publications = audit.Entries.Where(e => e.Method == "/creditexchange.evaluation.v1.EvaluationService/PublishEvaluation").Select(e => (e.Outcome.Code, e.Outcome.Reason)).ToList();
        Assert.Equal([(0, ""), ((int)StatusCode.FailedPrecondition, "EVALUATION_PERIOD_NOT_ENDED")], publications.Order());

        // Later data do not change a published evaluation.
        await SubmitAllAsync(_hub, [Record(a, Category.JudicialJudgment, Severity.Serious, new DateOnly(2026, 12, 15))]);
        var after = (await Client("drc").EvaluateIntegrityAsync(new EvaluateIntegrityRequest { Scope = league, Period = "2026" })).Evaluation;
        Assert.Equal(published.Evaluation, after);
        var again = await Publish(league);
        Assert.Equal((false, published.Evaluation), (again.NewlyPublished, again.Evaluation));

        // The unpublished county sees the new record: serious 2 → 833, judgments 3 → 0, records 3 → 1700.
        var county = (await Client("drc").EvaluateIntegrityAsync(new EvaluateIntegrityRequest { Scope = new EvaluationScope { DivisionCode = "152201" }, Period = "2026" })).Evaluation;
        Assert.Equal((833 + 0 + 1700 + 450 + 0 + 667 + 1500 + 1000, false), (county.ScoreHundredths, county.Published));

        // Rankings: the league's counties, then the leagues and cities (published figures where published).
        var counties = await Client("drc").RankRegionsAsync(new RankRegionsRequest { ParentDivisionCode = "152200", Period = "2026" });
        // 152202: r3 only in force (1 of 20 → 1900), arrears 1050, everything else full → 9450 (A).
        Assert.Equal([(1, "152202", 9450, "A"), (2, "152201", 6150, "C")], counties.Regions.Select(r => (r.Rank, r.DivisionCode, r.ScoreHundredths, r.Grade)));
        var leagues = await Client("drc").RankRegionsAsync(new RankRegionsRequest { ParentDivisionCode = "150000", Period = "2026" });
        Assert.Equal(12, leagues.Regions.Count);
        Assert.All(leagues.Regions.Take(10), r => Assert.Equal((1, 10000), (r.Rank, r.ScoreHundredths)));
        // Xilingol: one minor record in force (1 of 20 → 1900) → 9900; Hinggan at its published 7034.
        Assert.Equal([(11, "152500", 9900, false), (12, "152200", 7034, true)], leagues.Regions.Skip(10).Select(r => (r.Rank, r.DivisionCode, r.ScoreHundredths, r.Published)));
    }

    [Fact]
    public async Task EvaluateIntegrity_UnknownStandardOrBadScope_Refused()
    {
        var unknown = await Assert.ThrowsAsync<RpcException>(() => Client("drc").EvaluateIntegrityAsync(new EvaluateIntegrityRequest
        {
            Scope = new EvaluationScope { DivisionCode = "150100" }, Period = "2025", StandardVersion = "1999-v0",
        }).ResponseAsync);
        Assert.Equal((StatusCode.NotFound, "EVALUATION_STANDARD_NOT_FOUND"), (unknown.StatusCode, TestData.Reason(unknown)));

        var badCode = await Assert.ThrowsAsync<RpcException>(() => Client("drc").EvaluateIntegrityAsync(new EvaluateIntegrityRequest
        {
            Scope = new EvaluationScope { GovernmentBodyCode = "91110108551385082F" }, Period = "2025",
        }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, badCode.StatusCode);

        var noScope = await Assert.ThrowsAsync<RpcException>(() => Client("drc").EvaluateIntegrityAsync(new EvaluateIntegrityRequest { Period = "2025" }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, noScope.StatusCode);
    }

    private async Task<PublishEvaluationResponse> Publish(EvaluationScope scope, string agency = "drc") =>
        await Client(agency).PublishEvaluationAsync(new PublishEvaluationRequest { Scope = scope, Period = "2026" });

    private EvaluationService.EvaluationServiceClient Client(string agency) => new(_hub.AgencyChannel(agency));
}
