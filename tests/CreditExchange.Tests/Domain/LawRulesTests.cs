using CreditExchange.Domain.Appraisal;
using CreditExchange.Domain.Identifiers;
using CreditExchange.Domain.Lifecycle;
using CreditExchange.Domain.Records;

namespace CreditExchange.Tests.Domain;

/// <summary>The rules of issue 10 as plain domain code: listing periods and removals, townships, government-body codes, named persons in appraisal, complaint grounds.</summary>
public sealed class LawRulesTests
{
    private static readonly DateOnly Listed = new(2024, 2, 29);

    [Theory]
    [InlineData(new[] { DishonestConduct.ObstructionOfEnforcement }, 0, "2026-02-27")]                        // two years less a day (2026 has no 29 February)
    [InlineData(new[] { DishonestConduct.PropertyReportViolation, DishonestConduct.RefusalDespiteAbility }, 3, "2029-02-27")] // extended by three years
    [InlineData(new[] { DishonestConduct.RefusalDespiteAbility }, 0, "9999-12-31")]                          // no fixed period
    public void ListingLastDay_ByArticle2(DishonestConduct[] conducts, int extension, string expected) =>
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), JudgmentDebtorRules.ListingLastDay(Listed, conducts, extension));

    [Fact]
    public void Periods_RemovedListing_EffectAndPublicationEndOnRemoval()
    {
        var listing = new ListingFacts(new DateOnly(2026, 2, 27), RemovedOn: new DateOnly(2025, 6, 10));

        var periods = JudgmentDebtorRules.Periods(Listed, listing);

        Assert.Equal(new DateOnly(2025, 6, 9), JudgmentDebtorRules.EffectLastDay(listing));
        Assert.Equal((JudgmentDebtorRules.RuleVersion, Listed, new DateOnly(2025, 6, 10)), (periods.PolicyVersion, periods.MinimumEnd, periods.MaximumEnd));
        Assert.Equal(DateOnly.MaxValue, JudgmentDebtorRules.Periods(Listed, new ListingFacts(PeriodOfEffect.Indefinite, null)).MaximumEnd);
        // Removed after its period ended: the period's end stands.
        Assert.Equal(new DateOnly(2026, 2, 27), JudgmentDebtorRules.EffectLastDay(listing with { RemovedOn = new DateOnly(2026, 3, 2) }));
    }

    [Theory]
    [InlineData(true, ListingRemovalGround.EarlyRemoval, "2025-01-01", true)]
    [InlineData(true, ListingRemovalGround.ListingPeriodEnded, "2026-02-27", false)]
    [InlineData(true, ListingRemovalGround.ListingPeriodEnded, "2026-02-28", true)]
    [InlineData(true, ListingRemovalGround.Performed, "2025-01-01", false)]
    [InlineData(false, ListingRemovalGround.Performed, "2025-01-01", true)]
    [InlineData(false, ListingRemovalGround.EnforcementTerminated, "2025-01-01", true)]
    [InlineData(false, ListingRemovalGround.EarlyRemoval, "2025-01-01", false)]
    public void RemovalRefusal_GroundsOfArticles2And10(bool fixedPeriod, ListingRemovalGround ground, string today, bool allowed)
    {
        var listing = new ListingFacts(fixedPeriod ? new DateOnly(2026, 2, 27) : PeriodOfEffect.Indefinite, null);

        Assert.Equal(allowed, JudgmentDebtorRules.RemovalRefusal(listing, ground, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture)) is null);
    }

    [Theory]
    [InlineData("150102001", true)]
    [InlineData("152502101", true)]
    [InlineData("150100001", false)]   // a prefecture's own code is not a county
    [InlineData("150000001", false)]
    [InlineData("150102000", false)]   // 000 names no township
    [InlineData("159901001", false)]   // unknown prefecture
    [InlineData("152701001", false)]   // retired league
    [InlineData("110101001", false)]   // not Inner Mongolia
    [InlineData("15010200", false)]
    public void IsCurrentSubjectRegion_TownshipCodes(string code, bool accepted) =>
        Assert.Equal(accepted, DivisionCodes.IsCurrentSubjectRegion(code, new DateOnly(2026, 11, 26), out _));

    [Theory]
    [InlineData("111501000123456712", true)]    // 机构编制, 机关
    [InlineData("91152201078371135X", false)]   // 工商: an enterprise
    [InlineData("531000005000160090", false)]   // 民政: a social organisation
    public void TryValidateGovernmentBody_RegistrationAuthority(string code, bool accepted)
    {
        Assert.Equal(accepted, UnifiedSocialCreditCode.TryValidateGovernmentBody(code, new HashSet<string>(), out var error));
        Assert.Equal(accepted ? null : IdentifierErrorReasons.NotGovernmentBodyCode, error?.Reason);
        Assert.True(UnifiedSocialCreditCode.TryValidateGovernmentBody(code, new HashSet<string> { code }, out _)); // the operator's override
    }

    [Theory]
    [InlineData(ResponsibleCounting.AsSubject, Decision.Ineligible)]
    [InlineData(ResponsibleCounting.BlocksPriority, Decision.Eligible)]
    [InlineData(ResponsibleCounting.Ignored, Decision.Priority)]
    public void Decide_RecordNamingTheCandidate_CountsAsTheRuleSaysForTheRole(ResponsibleCounting counting, Decision expected)
    {
        var rule = new AppraisalRule(24, [new DisqualifyingRule(RecordCategory.JudicialJudgment, RecordSeverity.General)],
            Responsible: new Dictionary<ResponsibleRole, ResponsibleCounting> { [ResponsibleRole.Related] = counting });
        var checkDate = new DateOnly(2026, 11, 26);
        var record = new RecordFacts(Guid.NewGuid(), 1, "court", RecordCategory.JudicialJudgment, RecordSeverity.Serious,
            new StandingFacts(RecordStatus.Active, checkDate.AddDays(-30), null, RecordDisclosure.Public, checkDate.AddYears(2)), ResponsibleRole.Related);

        Assert.Equal(expected, AppraisalDecider.Decide(rule, checkDate, [record]).Decision);
        Assert.Equal(Decision.Priority, AppraisalDecider.Decide(rule, checkDate, [record with { NamedAs = ResponsibleRole.Principal }]).Decision); // a role the rule does not list
    }

    [Theory]
    [InlineData(ComplaintGround.Late, ObjectionState.Dismissed, "2026-12-04", true)]
    [InlineData(ComplaintGround.Late, ObjectionState.Dismissed, "2026-12-03", false)]   // answered on its last day: on time
    [InlineData(ComplaintGround.Unanswered, ObjectionState.Open, null, true)]
    [InlineData(ComplaintGround.RefusedWithoutGrounds, ObjectionState.Dismissed, "2026-12-01", true)]
    [InlineData(ComplaintGround.RefusedWithoutGrounds, ObjectionState.Corrected, "2026-12-01", false)]
    [InlineData(ComplaintGround.Other, ObjectionState.Corrected, "2026-12-01", true)]
    public void EnsureGroundMet_Objection(ComplaintGround ground, ObjectionState state, string? answered, bool met)
    {
        var handling = HandlingFacts.OfObjection(state, new DateOnly(2026, 12, 3), answered is null ? null : DateOnly.Parse(answered, System.Globalization.CultureInfo.InvariantCulture));
        var check = () => ComplaintRules.EnsureGroundMet(ground, handling, new DateOnly(2026, 12, 10));

        if (met)
        {
            check();
        }
        else
        {
            Assert.Equal("COMPLAINT_GROUND_NOT_MET", Assert.Throws<CreditExchange.Domain.Errors.DomainException>(check).Reason);
        }
    }
}
