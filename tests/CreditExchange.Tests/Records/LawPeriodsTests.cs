using CreditExchange.Contracts.Appraisal.V1;
using CreditExchange.Contracts.Feed.V1;
using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Tests.Feed;
using CreditExchange.Tests.Hub;
using CreditExchange.Tests.Infrastructure;
using CreditExchange.Tests.Lifecycle;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using static CreditExchange.Tests.Records.LawRecordsTestData;

namespace CreditExchange.Tests.Records;

/// <summary>
/// The law's periods and remedies cannot be overridden from a request: a 政务处分's statutory period, an accountability
/// measure's influence period, which records credit repair reaches, review (复审/复核) as the way a sanction changes,
/// the amounts that exclude "minor", a judgment-debtor list that is public by law, and responsible persons counting
/// in their own checks from today. Real PostgreSQL, through the public RPCs, on a fake clock at 2026-12-06.
/// </summary>
[Collection("postgres")]
public sealed class LawPeriodsTests(PostgresFixture postgres) : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2026, 12, 6);

    private readonly FakeTimeProvider _clock = LifecycleKit.NewClock();
    private HubHost _hub = null!;

    public async Task InitializeAsync()
    {
        _clock.SetUtcNow(LifecycleKit.Beijing(Today, 10));
        _hub = await HubHost.StartAsync(await postgres.CreateDatabaseAsync(), time: _clock);
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Theory]
    [InlineData(SanctionKind.Warning, "2026-03-01", "2029-03-01", "2026-08-31")]        // 警告: six months, not three years
    [InlineData(SanctionKind.RemovalFromPost, "2026-03-01", "2026-04-01", "2028-02-29")] // 撤职: twenty-four months, not one
    [InlineData(SanctionKind.Dismissal, "2026-03-01", "2030-01-01", null)]               // 开除: no end at all
    public async Task Sanction_TypedEndAgainstTheStatutoryPeriod_RefusedNamingIt(SanctionKind kind, string decided, string typed, string? statutory)
    {
        var request = Sanction(kind, decided);
        request.Record.ValidityEndDate = typed;

        var e = await Assert.ThrowsAsync<RpcException>(() => _hub.Records("supervision").SubmitRecordAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        var violation = Assert.Single(Violations(e));
        Assert.Equal(("record.validity_end_date", "statutory_period"), (violation.Field, violation.Reason));
        Assert.Contains(statutory ?? "has no end", violation.Description, StringComparison.Ordinal);
        Assert.Equal(0, _hub.CountEvents());

        // The statutory end itself, or none, is accepted: the law's period either way.
        request.Record.ValidityEndDate = statutory ?? "";
        var accepted = (await _hub.Records("supervision").SubmitRecordAsync(request)).Record;
        Assert.Equal(statutory ?? "", accepted.Standing.EffectEndDate);
    }

    [Fact]
    public async Task Correction_CannotShortenASanctionEither()
    {
        var record = (await _hub.Records("supervision").SubmitRecordAsync(Sanction(SanctionKind.RemovalFromPost, "2026-03-01"))).Record;
        var content = record.Content.Clone();
        content.ValidityEndDate = "2026-04-01";

        var e = await Assert.ThrowsAsync<RpcException>(() => _hub.Lifecycle("supervision").CorrectRecordAsync(
            new CorrectRecordRequest { RecordId = record.RecordId, ExpectedVersion = 1, Content = content, Reason = "更正" }).ResponseAsync);

        Assert.Equal(("content.validity_end_date", "statutory_period"), (Assert.Single(Violations(e)).Field, Violations(e)[0].Reason));
        Assert.Equal(1, (await _hub.GetAsync(record.RecordId)).Version);
    }

    [Fact]
    public async Task Repair_OfARemovalFromPost_RefusedWithItsRule()
    {
        var record = (await _hub.Records("supervision").SubmitRecordAsync(Sanction(SanctionKind.RemovalFromPost, "2026-05-20"))).Record;

        var e = await Assert.ThrowsAsync<RpcException>(() => _hub.Lifecycle("drc").ApplyForRepairAsync(new ApplyForRepairRequest
        {
            RecordId = record.RecordId, ExpectedVersion = 1, ObligationsFulfilled = true, CreditCommitment = "承诺守信",
        }).ResponseAsync);

        Assert.Equal((StatusCode.FailedPrecondition, "REPAIR_NOT_APPLICABLE"), (e.StatusCode, TestData.Reason(e)));
        Assert.Contains("公职人员政务处分法", e.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("ReviewSanction", e.Status.Detail, StringComparison.Ordinal);
        Assert.Single(_hub.Events(record.RecordId));
        // Accountability, judgments and procuratorial outcomes are not repaired either; an administrative penalty is.
        var penalty = await _hub.SubmitAsync(Severity.Minor, "2026-11-20", "finance");
        Assert.Equal(RepairState.Pending, (await _hub.Lifecycle("drc").ApplyForRepairAsync(new ApplyForRepairRequest
        {
            RecordId = penalty.RecordId, ExpectedVersion = 1, ObligationsFulfilled = true, CreditCommitment = "承诺守信",
        })).Repair.State);
    }

    [Fact]
    public async Task Review_ReducesRemovalFromPostToDemerit_PromotionAnswerChangesAndTheFeedSaysUpdateThenLift()
    {
        // 撤职 decided 2025-10-01 bars promotion to 2027-09-30; 记过 would have ended on 2026-09-30.
        var person = TestData.NewResidentId();
        var record = (await _hub.Records("supervision").SubmitRecordAsync(Sanction(SanctionKind.RemovalFromPost, "2025-10-01", residentId: person))).Record;
        Assert.Equal(Decision.Ineligible, await PromotionAsync(person));
        using var feed = _hub.Feed("drc").Subscribe(new SubscribeRequest { AfterSequence = 0 });
        Assert.Equal(PunishmentAction.Impose, (await feed.ReadEventsAsync(1)).Single().Action);

        var reviewed = (await _hub.Lifecycle("supervision").ReviewSanctionAsync(new ReviewSanctionRequest
        {
            RecordId = record.RecordId, ExpectedVersion = 1, Outcome = SanctionReviewOutcome.Changed, SanctionKind = SanctionKind.Demerit,
            DecisionDocumentNumber = "内监复〔2026〕12号", DecisionDate = "2026-12-01", Reason = "复审认为原处分过重",
        })).Record;

        Assert.Equal((SanctionKind.Demerit, RecordStatus.Corrected, "2026-09-30", false),
            (reviewed.Content.SanctionKind, reviewed.Status, reviewed.Standing.EffectEndDate, reviewed.Standing.InForce));
        Assert.Equal(Decision.Eligible, await PromotionAsync(person)); // no longer barred; the record still blocks priority
        var events = await feed.ReadEventsAsync(2);
        Assert.Equal(
            [(RecordChange.SanctionReviewed, PunishmentAction.Update, 2L), (RecordChange.EffectEnded, PunishmentAction.Lift, 3L)],
            events.Select(e => (e.Change, e.Action, e.RecordVersion)));
        var history = await _hub.Lifecycle("drc").GetRecordHistoryAsync(new GetRecordHistoryRequest { RecordId = record.RecordId });
        Assert.Contains("内监复〔2026〕12号", history.Versions[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Review_RevokedLiftsAndUpheldChangesNothingButHistory_AndNeverAggravates()
    {
        var revoked = (await _hub.Records("supervision").SubmitRecordAsync(Sanction(SanctionKind.Demerit, "2026-06-01"))).Record;
        var upheld = (await _hub.Records("supervision").SubmitRecordAsync(Sanction(SanctionKind.Demerit, "2026-06-01"))).Record;
        var lifecycle = _hub.Lifecycle("supervision");

        var heavier = await Assert.ThrowsAsync<RpcException>(() => lifecycle.ReviewSanctionAsync(Review(upheld.RecordId, SanctionReviewOutcome.Changed, SanctionKind.Dismissal)).ResponseAsync);
        var early = await Assert.ThrowsAsync<RpcException>(() => lifecycle.ReviewSanctionAsync(Review(upheld.RecordId, SanctionReviewOutcome.Upheld, decided: "2026-05-31")).ResponseAsync);
        var notSanction = await Assert.ThrowsAsync<RpcException>(async () => await _hub.Lifecycle("court").ReviewSanctionAsync(
            Review((await _hub.SubmitAsync()).RecordId, SanctionReviewOutcome.Upheld)));
        var a = (await lifecycle.ReviewSanctionAsync(Review(revoked.RecordId, SanctionReviewOutcome.Revoked))).Record;
        var b = (await lifecycle.ReviewSanctionAsync(Review(upheld.RecordId, SanctionReviewOutcome.Upheld))).Record;

        Assert.Equal(("sanction_kind", StatusCode.InvalidArgument), (Assert.Single(Violations(heavier)).Field, heavier.StatusCode));
        Assert.Equal("decision_date", Assert.Single(Violations(early)).Field);
        Assert.Equal("NOT_A_SANCTION", TestData.Reason(notSanction));
        Assert.Equal((RecordStatus.Revoked, RecordStatus.Active, 2L), (a.Status, b.Status, b.Version));
        using var feed = _hub.Feed("drc").Subscribe(new SubscribeRequest { AfterSequence = 0, Changes = { RecordChange.SanctionReviewed } });
        var actions = (await feed.ReadEventsAsync(2)).ToDictionary(e => e.RecordId, e => e.Action);
        Assert.Equal((PunishmentAction.Lift, PunishmentAction.None), (actions[revoked.RecordId], actions[upheld.RecordId]));
    }

    [Theory]
    [InlineData(3, Decision.Ineligible)] // inside its six months: barred, though minor
    [InlineData(7, Decision.Eligible)]   // after them: counts against priority only
    public async Task Admonition_BarsPromotionDuringItsInfluencePeriodWhateverItsSeverity(int monthsAgo, Decision expected)
    {
        var person = TestData.NewResidentId();
        var request = TestData.Submission(Category.AccountabilityAction, subject: TestData.CivilServantSubject(person), decisionDate: Iso(Today.AddMonths(-monthsAgo)));
        request.Record.Severity = Severity.Minor;
        request.Record.Penalty.Kinds.Clear();
        request.Record.AccountabilityMeasures.Add(AccountabilityMeasure.Admonition);
        var record = (await _hub.Records("supervision").SubmitRecordAsync(request)).Record;

        Assert.Equal(Iso(Today.AddMonths(-monthsAgo).AddMonths(6).AddDays(-1)), record.Standing.EffectEndDate);
        Assert.Equal(expected, await PromotionAsync(person));

        // A shorter influence period than the rule's cannot be typed.
        request.SourceRecordId = TestData.NewSourceId();
        request.Record.ValidityEndDate = Iso(Today.AddMonths(-monthsAgo).AddMonths(2));
        var e = await Assert.ThrowsAsync<RpcException>(() => _hub.Records("supervision").SubmitRecordAsync(request).ResponseAsync);
        Assert.Equal("statutory_period", Assert.Single(Violations(e)).Reason);
    }

    [Theory]
    [InlineData(50_000_000L, 0L, false, "severity_below_amount")] // 500,000 yuan on a body: not a summary-procedure fine
    [InlineData(300_001L, 0L, false, "severity_below_amount")]    // just above 3,000 yuan
    [InlineData(0L, 100L, false, "severity_below_amount")]        // any confiscation
    [InlineData(300_000L, 0L, false, null)]                       // 3,000 yuan: may be minor
    public async Task MinorPenalty_AmountsAboveTheSummaryProcedure_Refused(long fineFen, long confiscatedFen, bool person, string? reason)
    {
        var request = TestData.Submission(Category.AdministrativePenalty, RecordDomain.Procurement, person ? TestData.CivilServantSubject() : null, "2026-10-15");
        request.Record.Severity = Severity.Minor;
        request.Record.Penalty.FineFen = fineFen;
        request.Record.Penalty.ConfiscatedFen = confiscatedFen;
        request.Record.Penalty.Kinds.Clear();
        request.Record.Penalty.Kinds.Add(PenaltyKind.Fine);

        if (reason is null)
        {
            Assert.Equal(Severity.Minor, (await _hub.Records("finance").SubmitRecordAsync(request)).Record.Content.Severity);
            return;
        }

        var e = await Assert.ThrowsAsync<RpcException>(() => _hub.Records("finance").SubmitRecordAsync(request).ResponseAsync);
        var violation = Assert.Single(Violations(e));
        Assert.Equal(("record.severity", reason), (violation.Field, violation.Reason));
        Assert.Contains("行政处罚法", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JudgmentDebtorListing_SharedOnly_RefusedBecauseTheListIsPublicByLaw()
    {
        var listing = JudgmentDebtor("2026-06-01", extensionYears: 0, conducts: [DishonestConduct.EvasionOfEnforcement]);
        listing.Record.Disclosure = Disclosure.SharedOnly;

        var e = await Assert.ThrowsAsync<RpcException>(() => _hub.Records("court").SubmitRecordAsync(listing).ResponseAsync);

        Assert.Equal(("record.disclosure", "not_allowed"), (Assert.Single(Violations(e)).Field, Violations(e)[0].Reason));
        listing.Record.Disclosure = Disclosure.Public;
        Assert.True((await _hub.Records("court").SubmitRecordAsync(listing)).Record.Standing.Publishable);
    }

    [Fact]
    public async Task PppRecord_CountsInBothResponsiblePersonsPromotionChecksToday()
    {
        var principal = TestData.NewResidentId();
        var related = TestData.NewResidentId();
        var bystander = TestData.NewResidentId();
        await _hub.Records("court").SubmitRecordAsync(PppJudgment("2026-07-29", "PPP-150102-2019-0021", principal, related));

        var checks = await new AppraisalService.AppraisalServiceClient(_hub.AgencyChannel("organization")).CheckCandidatesAsync(new CheckCandidatesRequest
        {
            Purpose = new Purpose { AppraisalType = AppraisalType.Promotion, CaseReference = "内组干〔2026〕9号" },
            Subjects = { new[] { principal, related, bystander }.Select(id => new SubjectKey { ResidentId = id }) },
        });

        // The principal as if it were their own record; the related person against priority only (过罚相当).
        Assert.Equal([Decision.Ineligible, Decision.Eligible, Decision.Priority], checks.Results.Select(r => r.Decision));
        Assert.Equal("2026-12-06", checks.Rules.RuleSetVersion);
    }

    private async Task<Decision> PromotionAsync(string residentId) =>
        (await new AppraisalService.AppraisalServiceClient(_hub.AgencyChannel("organization")).CheckCandidateAsync(new CheckCandidateRequest
        {
            Purpose = new Purpose { AppraisalType = AppraisalType.Promotion, CaseReference = "内组干〔2026〕8号" },
            Subject = new SubjectKey { ResidentId = residentId },
        })).Result.Decision;

    private static ReviewSanctionRequest Review(string recordId, SanctionReviewOutcome outcome, SanctionKind kind = SanctionKind.Unspecified, string decided = "2026-12-01") => new()
    {
        RecordId = recordId, ExpectedVersion = 1, Outcome = outcome, SanctionKind = kind,
        DecisionDocumentNumber = "内监复〔2026〕15号", DecisionDate = decided, Reason = "复核",
    };

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
