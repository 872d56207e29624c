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
public sealed record RecordContentFacts(
    RecordCategory Category,
    RecordDomain Domain,
    RecordSeverity Severity,
    DateOnly DecisionDate,
    DateOnly? ValidityEndDate,
    SanctionKind? SanctionKind,
    JudgmentDebtorFacts? Listing);

/// <summary>A judgment-debtor listing as submitted (法释〔2017〕7号): the dishonest conducts of art. 1 and the extension of art. 2.</summary>
public sealed record JudgmentDebtorFacts(IReadOnlyList<DishonestConduct> Conducts, int ExtensionYears);

/// <summary>What intake decides for a record: its period of effect, its disclosure periods and, for a listing, the listing's last day.</summary>
/// <param name="EffectLastDay">Last day of the period of effect (<see cref="PeriodOfEffect"/>); null when it has none.</param>
public sealed record IntakeDecision(DateOnly? EffectLastDay, DisclosurePeriods Periods, DateOnly? ListingLastDay);

/// <summary>
/// Record intake as the law has it, in one place: the submitting agency's competence (seed clause 二(二)4), then the
/// record's periods — a judgment-debtor listing's by the court's rule (<see cref="JudgmentDebtorRules"/>), any other's
/// period of effect by <see cref="PeriodOfEffect"/> and its disclosure periods by the policy in force
/// (<see cref="DisclosurePolicyBook"/>). A correction is decided again under the policy of its first acceptance day;
/// a removed listing's periods end on its removal.
/// </summary>
public sealed class RecordIntakeRules(DisclosurePolicyBook policies)
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
    public static DateOnly? EffectLastDay(RecordContentFacts content) => Listing(content, null) is { } listing
        ? JudgmentDebtorRules.EffectLastDay(listing)
        : PeriodOfEffect.LastDay(content.DecisionDate, content.ValidityEndDate, content.SanctionKind);

    private static ListingFacts? Listing(RecordContentFacts content, DateOnly? removedOn) => content.Listing is { } debtor
        ? new ListingFacts(JudgmentDebtorRules.ListingLastDay(content.DecisionDate, debtor.Conducts, debtor.ExtensionYears), removedOn)
        : null;
}
