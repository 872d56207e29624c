using CreditExchange.Domain.Appraisal;
using CreditExchange.Domain.Records;
using CreditExchange.Server.Appraisal;

namespace CreditExchange.Tests.Appraisal;

/// <summary>The appraisal rules as plain domain code: decisions, statuses, windows, versions.</summary>
public sealed class AppraisalRulesTests
{
    private static readonly DateOnly Today = new(2026, 6, 15);

    private static readonly AppraisalRule Honors = new(36, [
        new DisqualifyingRule(RecordCategory.JudicialJudgment, RecordSeverity.General),
        new DisqualifyingRule(RecordCategory.DisciplinarySanction, RecordSeverity.Minor),
    ]);

    [Fact]
    public void Decide_NoRecords_Priority()
    {
        var decision = AppraisalDecider.Decide(Honors, Today, []);

        Assert.Equal(Decision.Priority, decision.Decision);
        Assert.Empty(decision.DecidingRecords);
        Assert.Equal(0, decision.DecidingRecordCount);
        Assert.False(decision.ObjectionPending);
    }

    [Fact]
    public void Decide_OnlyNonDisqualifyingRecords_Eligible()
    {
        var minorJudgment = Facts(RecordCategory.JudicialJudgment, RecordSeverity.Minor);
        var breach = Facts(RecordCategory.BreachOfCommitment, RecordSeverity.Serious);

        var decision = AppraisalDecider.Decide(Honors, Today, [minorJudgment, breach]);

        Assert.Equal(Decision.Eligible, decision.Decision);
        Assert.Empty(decision.DecidingRecords);
    }

    [Fact]
    public void Decide_DisqualifyingRecords_IneligibleWithEveryDecidingRecordNewestFirst()
    {
        var older = Facts(RecordCategory.JudicialJudgment, RecordSeverity.Serious, Today.AddDays(-400));
        var newer = Facts(RecordCategory.DisciplinarySanction, RecordSeverity.Minor, Today.AddDays(-10));
        var harmless = Facts(RecordCategory.JudicialJudgment, RecordSeverity.Minor, Today.AddDays(-5));

        var decision = AppraisalDecider.Decide(Honors, Today, [older, harmless, newer]);

        Assert.Equal(Decision.Ineligible, decision.Decision);
        Assert.Equal([newer.Id, older.Id], decision.DecidingRecords.Select(r => r.Id));
        Assert.Equal(2, decision.DecidingRecordCount);
        Assert.False(decision.ObjectionPending);
    }

    [Fact]
    public void Decide_MoreDecidingRecordsThanListed_NewestListedAllCounted_ObjectionOnAnUnlistedOneStillPending()
    {
        var records = Enumerable.Range(0, AppraisalDecider.MaxListedDecidingRecords + 5)
            .Select(i => Facts(RecordCategory.JudicialJudgment, RecordSeverity.Serious, Today.AddDays(-1 - i), i == AppraisalDecider.MaxListedDecidingRecords + 4 ? RecordStatus.InDispute : RecordStatus.Active))
            .ToList();

        var decision = AppraisalDecider.Decide(Honors, Today, records.AsEnumerable().Reverse());

        Assert.Equal(Decision.Ineligible, decision.Decision);
        Assert.Equal(records.Take(AppraisalDecider.MaxListedDecidingRecords).Select(r => r.Id), decision.DecidingRecords.Select(r => r.Id));
        Assert.Equal(AppraisalDecider.MaxListedDecidingRecords + 5, decision.DecidingRecordCount);
        Assert.True(decision.ObjectionPending); // the disputed record is the oldest, not listed
    }

    [Fact]
    public void Decide_LookBackWindow_StartDayInsideDayBeforeOutside()
    {
        var start = Today.AddMonths(-36);

        var onStart = AppraisalDecider.Decide(Honors, Today, [Facts(RecordCategory.JudicialJudgment, RecordSeverity.Serious, start)]);
        var dayBefore = AppraisalDecider.Decide(Honors, Today, [Facts(RecordCategory.JudicialJudgment, RecordSeverity.Serious, start.AddDays(-1))]);

        Assert.Equal(Decision.Ineligible, onStart.Decision);
        Assert.Equal(Decision.Priority, dayBefore.Decision);
    }

    [Theory]
    [InlineData(RecordStatus.Active, Decision.Ineligible, false)]
    [InlineData(RecordStatus.InDispute, Decision.Ineligible, true)]
    [InlineData(RecordStatus.Corrected, Decision.Ineligible, false)] // the record at its new version
    [InlineData(RecordStatus.Expired, Decision.Ineligible, false)]   // expired from publication only: not cleared
    [InlineData(RecordStatus.Repaired, Decision.Priority, false)]    // repair stops use: no longer blocks priority
    [InlineData(RecordStatus.Revoked, Decision.Priority, false)]
    public void Decide_LifecycleStatus_Honoured(RecordStatus status, Decision expected, bool objectionPending)
    {
        var record = Facts(RecordCategory.JudicialJudgment, RecordSeverity.Serious, status: status);

        var decision = AppraisalDecider.Decide(Honors, Today, [record]);

        Assert.Equal(expected, decision.Decision);
        Assert.Equal(objectionPending, decision.ObjectionPending);
    }

    [Fact]
    public void RuleBook_InForceOn_LatestEffectiveDateNotAfterTheDay()
    {
        var book = new AppraisalRuleBook([Set("2024", new DateOnly(2024, 1, 1)), Set("2017", new DateOnly(2017, 10, 1)), Set("2030", new DateOnly(2030, 1, 1))]);

        Assert.Null(book.InForceOn(new DateOnly(2017, 9, 30)));
        Assert.Equal("2017", book.InForceOn(new DateOnly(2017, 10, 1))!.Version);
        Assert.Equal("2017", book.InForceOn(new DateOnly(2023, 12, 31))!.Version);
        Assert.Equal("2024", book.InForceOn(new DateOnly(2024, 1, 1))!.Version);
        Assert.Equal("2024", book.InForceOn(new DateOnly(2029, 12, 31))!.Version);
        Assert.Equal("2030", book.InForceOn(new DateOnly(2031, 1, 1))!.Version);
    }

    [Fact]
    public void RuleBook_DuplicateVersionMissingTypeOrBadWindow_Refused()
    {
        var missingType = Set("b", new DateOnly(2020, 1, 1)).Rules.Where(r => r.Key != AppraisalType.Promotion).ToDictionary();
        var badWindow = Set("c", new DateOnly(2021, 1, 1)).Rules.ToDictionary(r => r.Key, r => r.Value with { LookBackMonths = 0 });

        Assert.Throws<ArgumentException>(() => new AppraisalRuleBook([]));
        Assert.Throws<ArgumentException>(() => new AppraisalRuleBook([Set("a", new DateOnly(2017, 1, 1)), Set("a", new DateOnly(2018, 1, 1))]));
        Assert.Throws<ArgumentException>(() => new AppraisalRuleBook([Set("a", new DateOnly(2017, 1, 1)), Set("b", new DateOnly(2017, 1, 1))]));
        Assert.Throws<ArgumentException>(() => new AppraisalRuleBook([new AppraisalRuleSet("b", new DateOnly(2020, 1, 1), missingType)]));
        Assert.Throws<ArgumentException>(() => new AppraisalRuleBook([new AppraisalRuleSet("c", new DateOnly(2021, 1, 1), badWindow)]));
    }

    [Fact]
    public void RulesFile_Shipped_LoadsAndCoversEveryAppraisalType()
    {
        var book = AppraisalRulesFile.Load(Path.Combine(AppContext.BaseDirectory, "appraisal-rules.json"));

        Assert.Equal(["2017-1", "2026-12", "2026-12-06"], book.RuleSets.Select(s => s.Version));
        Assert.All(book.RuleSets, set => Assert.All(Enum.GetValues<AppraisalType>(), t => Assert.NotEmpty(set.For(t).Disqualifying)));
        // Since 2026-12 promotion is barred during a sanction period (公职人员政务处分法 art. 22).
        Assert.Equal(AppraisalBasis.PeriodOfEffect, book.InForceOn(new DateOnly(2026, 12, 1))!.For(AppraisalType.Promotion).Basis);
        Assert.Equal(AppraisalBasis.LookBackWindow, book.InForceOn(new DateOnly(2026, 11, 30))!.For(AppraisalType.Promotion).Basis);
        // Since 2026-12-06 a record naming someone as a responsible person counts in their checks (seed clause 三(二)),
        // in proportion (过罚相当): the principal as their own record, a related person against priority only.
        var promotion = book.InForceOn(new DateOnly(2026, 12, 6))!.For(AppraisalType.Promotion);
        Assert.Equal(
            (ResponsibleCounting.AsSubject, ResponsibleCounting.BlocksPriority, ResponsibleCounting.BlocksPriority),
            (promotion.Counting(ResponsibleRole.Principal), promotion.Counting(ResponsibleRole.Related), promotion.Counting(ResponsibleRole.DebtorPersonInCharge)));
        Assert.Equal(ResponsibleCounting.Ignored, book.InForceOn(new DateOnly(2026, 12, 5))!.For(AppraisalType.Promotion).Counting(ResponsibleRole.Principal));
        Assert.Contains(promotion.Disqualifying, d => d is { Category: RecordCategory.AccountabilityAction, MinimumSeverity: RecordSeverity.Minor, WhileInForce: true });
        Assert.Equal(ResponsibleCounting.AsSubject, promotion.Counting(null));
    }

    [Theory]
    [InlineData("""{"ruleSets": [{"version": "x", "effectiveFrom": "2020-01-01", "appraisalTypes": {"Honors": {"lookBackMonths": 12, "disqualifying": [{"category": "Gossip", "minimumSeverity": "Minor"}]}}}]}""")]
    [InlineData("""{"ruleSets": [{"version": "x", "effectiveFrom": "2020-01-01", "typo": 1, "appraisalTypes": {}}]}""")]
    [InlineData("""{"ruleSets": [{"version": "x", "effectiveFrom": "2020-02-30", "appraisalTypes": {}}]}""")]
    [InlineData("""{"ruleSets": []}""")]
    [InlineData("""not json""")]
    [InlineData("""{"ruleSets": [{"version": "x", "effectiveFrom": "2020-01-01", "appraisalTypes": {"Honors": {"lookBackMonths": 12, "responsiblePersons": {"Deputy": "AsSubject"}, "disqualifying": []}}}]}""")]
    [InlineData("""{"ruleSets": [{"version": "x", "effectiveFrom": "2020-01-01", "appraisalTypes": {"Honors": {"lookBackMonths": 12, "responsiblePersons": {"Principal": "Sometimes"}, "disqualifying": []}}}]}""")]
    public void RulesFile_Invalid_RefusedNamingTheFile(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"appraisal-rules-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            var e = Assert.Throws<InvalidOperationException>(() => AppraisalRulesFile.Load(path));
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    internal static AppraisalRuleSet Set(string version, DateOnly effectiveFrom) => new(
        version,
        effectiveFrom,
        Enum.GetValues<AppraisalType>().ToDictionary(t => t, _ => Honors));

    private static RecordFacts Facts(RecordCategory category, RecordSeverity severity, DateOnly? decided = null, RecordStatus status = RecordStatus.Active) =>
        new(Guid.NewGuid(), Random.Shared.NextInt64(1, 1_000_000), "court", category, severity,
            new StandingFacts(status, decided ?? Today.AddDays(-30), null, RecordDisclosure.Public, Today.AddYears(1)));
}
