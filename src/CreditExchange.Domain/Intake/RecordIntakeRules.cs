using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Lifecycle;
using CreditExchange.Domain.Records;

namespace CreditExchange.Domain.Intake;

/// <summary>
/// What the law's rules read of a record's content, for a submission and a correction alike: its taxonomy, its dates,
/// the sanction it imposes and, for a court's judgment-debtor listing, the listing's facts. The service maps the
/// contract's content to it; the hub stores the content itself sealed.
/// </summary>
/// <param name="ValidityEndDate">The effect end the deciding authority typed (处罚有效期, 影响期), if any.</param>
/// <param name="Listing">The judgment-debtor listing's conducts and extension; null for any other record.</param>
/// <param name="Kinds">The penalty kinds, sanction kind and accountability measures, by their contract names (the law's table's keys).</param>
public sealed record RecordContentFacts(
    RecordCategory Category,
    RecordDomain Domain,
    RecordSeverity Severity,
    DateOnly DecisionDate,
    DateOnly? ValidityEndDate,
    SanctionKind? SanctionKind,
    JudgmentDebtorFacts? Listing,
    IReadOnlyCollection<string> Kinds);

/// <summary>A judgment-debtor listing as submitted (法释〔2017〕7号): the dishonest conducts of art. 1 and the extension of art. 2.</summary>
public sealed record JudgmentDebtorFacts(IReadOnlyList<DishonestConduct> Conducts, int ExtensionYears);

/// <summary>What intake decides for a record: its period of effect, its disclosure periods and, for a listing, the listing's last day.</summary>
/// <param name="EffectLastDay">Last day of the period of effect (<see cref="PeriodOfEffect"/>); null when it has none.</param>
public sealed record IntakeDecision(DateOnly? EffectLastDay, DisclosurePeriods Periods, DateOnly? ListingLastDay);

/// <summary>
/// Record intake as the law has it, in one place: the submitting agency's competence (seed clause 二(二)4), then the
/// record's periods — a judgment-debtor listing's by the court's rule (<see cref="JudgmentDebtorRules"/>), any other's
/// period of effect by <see cref="PeriodOfEffect"/> from the law's table (<see cref="SeverityTable"/>) in force on its
/// decision date, and its disclosure periods by the policy in force
/// (<see cref="DisclosurePolicyBook"/>). A correction is decided again under the policy of its first acceptance day;
/// a removed listing's periods end on its removal.
/// </summary>
public sealed class RecordIntakeRules(DisclosurePolicyBook policies, SeverityTable law)
{
    /// <summary>Refuses a record outside <paramref name="agency"/>'s competence (PERMISSION_DENIED); else decides its periods.</summary>
    public IntakeDecision Decide(Agency agency, RecordContentFacts content, DateOnly acceptedOn, DateOnly? listingRemovedOn = null)
    {
        agency.EnsureMaySubmit(content.Category, content.Domain);
        if (Listing(content, listingRemovedOn) is { } listing)
        {
            return new IntakeDecision(JudgmentDebtorRules.EffectLastDay(listing), JudgmentDebtorRules.Periods(content.DecisionDate, listing), listing.ListingLastDay);
        }

        return new IntakeDecision(EffectLastDay(content), policies.Fix(content.Severity, content.DecisionDate, acceptedOn), null);
    }

    /// <summary>The last day of the content's period of effect (also for rows an earlier hub stored without it).</summary>
    public DateOnly? EffectLastDay(RecordContentFacts content) => Listing(content, null) is { } listing
        ? JudgmentDebtorRules.EffectLastDay(listing)
        : PeriodOfEffect.LastDay(content.ValidityEndDate, StatutoryEnd(content));

    /// <summary>The law's period of effect for the content's kinds (<see cref="SeverityTableVersion.End"/>); null when none has one.</summary>
    public StatutoryEnd? StatutoryEnd(RecordContentFacts content) => law.For(content.DecisionDate).End(content.DecisionDate, content.Kinds);

    private static ListingFacts? Listing(RecordContentFacts content, DateOnly? removedOn) => content.Listing is { } debtor
        ? new ListingFacts(JudgmentDebtorRules.ListingLastDay(content.DecisionDate, debtor.Conducts, debtor.ExtensionYears), removedOn)
        : null;
}
