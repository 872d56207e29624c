namespace CreditExchange.Domain.Records;

/// <summary>The stored facts of a record that its standing is decided from.</summary>
/// <param name="EffectLastDay">Last day of the period of effect (<see cref="PeriodOfEffect"/>); null when the record has none.</param>
/// <param name="DisclosureEnd">Day on which publication stops (the disclosure period's maximum end).</param>
public sealed record StandingFacts(RecordStatus Status, DateOnly DecisionDate, DateOnly? EffectLastDay, RecordDisclosure Disclosure, DateOnly DisclosureEnd);

/// <summary>
/// Where a record stands on one day: the one answer to "is it in force, does it count, may it
/// disqualify, may it be published" (who may see it is <c>Agencies.RecordVisibility</c>'s). Appraisal, statistics, credit
/// files, lifecycle, the expiry sweep, the stores and the feed ask it; none lists statuses of its
/// own. Time is read, not swept: every answer follows from the stored facts and the day asked
/// about, never from when the expiry sweep last ran.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A finding <b>stands</b> unless it was revoked (treated as never made) or repaired (credit
/// repair ends publication and stops sharing and use, NDRC 《信用修复管理办法》 art. 3). A
/// correction is the record at its new version: it stands as its corrected content says.</item>
/// <item>It is <b>in force</b> on a day when it stands, was decided by then, and its period of
/// effect (if it has one) has not ended. In force is what counts as a finding: statistics,
/// warnings, a credit file's in-force count.</item>
/// <item>Publication follows the disclosure period, a different clock: a record that expired from
/// publication is not thereby cleared for appraisal or statistics.</item>
/// <item>A court's judgment-debtor listing brings its own dates (<see cref="JudgmentDebtorRules"/>):
/// its listing period is its period of effect and its disclosure period, both ending early when the
/// court removes it; the standing then decides from them as from any other record's.</item>
/// </list>
/// </remarks>
public readonly record struct RecordStanding(StandingFacts Facts, DateOnly AsOf)
{
    /// <summary>States in which the finding stands (for set-based queries).</summary>
    public static readonly IReadOnlyList<RecordStatus> StandingStatuses =
        [RecordStatus.Active, RecordStatus.InDispute, RecordStatus.Corrected, RecordStatus.Expired];

    /// <summary>
    /// States from which the expiry sweep may record EXPIRED once the disclosure period ended. Not
    /// while an objection is open (its answer restores the state before it; the sweep notes the
    /// expiry after), and not twice.
    /// </summary>
    public static readonly IReadOnlyList<RecordStatus> ExpiryRecordableStatuses = [RecordStatus.Active, RecordStatus.Corrected];

    public static RecordStanding Of(StandingFacts facts, DateOnly asOf) => new(facts, asOf);

    /// <summary>Whether a finding in this state stands: neither revoked nor repaired.</summary>
    public static bool StandsIn(RecordStatus status) => StandingStatuses.Contains(status);

    /// <summary>Neither revoked nor repaired.</summary>
    public bool Stands => StandsIn(Facts.Status);

    /// <summary>Revoked: the finding is treated as never made (counted by an evaluation only to show it, never against the subject).</summary>
    public bool Revoked => Facts.Status == RecordStatus.Revoked;

    /// <summary>Repaired (信用修复): the finding was made and then repaired; it no longer stands.</summary>
    public bool Repaired => Facts.Status == RecordStatus.Repaired;

    /// <summary>Whether the period of effect has not ended by <see cref="AsOf"/> (true when the record has none).</summary>
    public bool WithinPeriodOfEffect => Facts.EffectLastDay is not { } last || AsOf <= last;

    /// <summary>In force by a period of effect of its own (a record without one is not): stands, decided, its last day not passed.</summary>
    public bool WithinOwnPeriodOfEffect => Facts.EffectLastDay is not null && InForce;

    /// <summary>Whether the period of effect never ends.</summary>
    public bool EffectIndefinite => Facts.EffectLastDay == PeriodOfEffect.Indefinite;

    /// <summary>
    /// In force on <see cref="AsOf"/>: stands, decided by then, within its period of effect. This is
    /// what counts as a finding (statistics, warnings, in-force counts).
    /// </summary>
    public bool InForce => Stands && Facts.DecisionDate <= AsOf && WithinPeriodOfEffect;

    /// <summary>Whether the disclosure period has ended: the record expired from publication.</summary>
    public bool DisclosureEnded => AsOf >= Facts.DisclosureEnd;

    /// <summary>May be published on <see cref="AsOf"/>: marked public, stands, within its disclosure period.</summary>
    public bool Publishable => Stands && Facts.Disclosure == RecordDisclosure.Public && !DisclosureEnded;

    /// <summary>Lifecycle changes (objection, correction, revocation, repair) are open while the finding stands.</summary>
    public bool OpenToChange => Stands;

    /// <summary>Whether the expiry sweep should record EXPIRED now.</summary>
    public bool DueForExpiryRecord => ExpiryRecordableStatuses.Contains(Facts.Status) && DisclosureEnded;

    /// <summary>
    /// Whether the sweep should record the end of the period of effect now (EFFECT_ENDED, whose feed
    /// event tells the punishing departments to lift): the finding stands, its period of effect ended
    /// before <see cref="AsOf"/> (the first day out of force is the day after the last day), and the
    /// hub has not yet recorded the end of this last day. <paramref name="recordedLastDay"/> is the last
    /// day whose end was recorded (by the sweep, or by the court's removal of a listing, which lifts
    /// itself); a correction that moves the last day makes the new end due in its turn.
    /// </summary>
    public bool DueForEffectEndRecord(DateOnly? recordedLastDay) =>
        Stands && Facts.EffectLastDay is { } last && last < AsOf && recordedLastDay != last;

    /// <summary>
    /// Whether the record may disqualify in an appraisal whose rule looks at <paramref name="basis"/>
    /// on <see cref="AsOf"/> (the check date): it must stand and fall within that time — decided on or
    /// after <paramref name="lookBackStart"/>, within its period of effect (a record with none counts
    /// by the window), or either. Publication is irrelevant here: a record expired from publication
    /// is not cleared.
    /// </summary>
    public bool MayDisqualify(AppraisalBasis basis, DateOnly lookBackStart)
    {
        if (!Stands || Facts.DecisionDate > AsOf)
        {
            return false;
        }

        var inWindow = Facts.DecisionDate >= lookBackStart;
        return basis switch
        {
            AppraisalBasis.LookBackWindow => inWindow,
            AppraisalBasis.PeriodOfEffect => Facts.EffectLastDay is { } last ? AsOf <= last : inWindow,
            AppraisalBasis.Both => inWindow || InEffectUntil(AsOf),
            _ => throw new ArgumentOutOfRangeException(nameof(basis), basis, "Unknown appraisal basis."),
        };
    }

    /// <summary>
    /// Whether the record stops a candidate from earning priority (a clean record): it stands and was
    /// decided within the look-back window or is still within its period of effect, whatever the
    /// rule's basis. A sanction whose period ended no longer bars, but a recent one is still a record.
    /// </summary>
    public bool BlocksPriority(DateOnly lookBackStart) =>
        Stands && Facts.DecisionDate <= AsOf && (Facts.DecisionDate >= lookBackStart || InEffectUntil(AsOf));

    private bool InEffectUntil(DateOnly day) => Facts.EffectLastDay is { } last && day <= last;
}
