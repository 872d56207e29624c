namespace CreditExchange.Domain.Records;

/// <summary>
/// How long a record's finding has its legal effect, as distinct from how long it is published
/// (the disclosure period). The deciding authority may set it (处罚有效期, 影响期: the content's
/// validity end date); otherwise a disciplinary sanction's statutory sanction period applies
/// (公职人员政务处分法 art. 8: 警告 6 months, 记过 12, 记大过 18, 降级 and 撤职 24; 开除 has no
/// end). Other records have none: appraisal then counts them by its look-back windows. A court's
/// judgment-debtor listing has its listing period instead (<see cref="JudgmentDebtorRules"/>).
/// </summary>
public static class PeriodOfEffect
{
    /// <summary>The last day of a period that never ends (stored as such, so that "on or before" comparisons need no special case).</summary>
    public static readonly DateOnly Indefinite = DateOnly.MaxValue;

    /// <summary>
    /// The last day of the record's period of effect; <see cref="Indefinite"/> when it never ends;
    /// null when the record has none.
    /// </summary>
    public static DateOnly? LastDay(DateOnly decisionDate, DateOnly? validityEnd, SanctionKind? sanction)
    {
        if (validityEnd is { } end)
        {
            return end;
        }

        return sanction switch
        {
            SanctionKind.Warning => Months(decisionDate, 6),
            SanctionKind.Demerit => Months(decisionDate, 12),
            SanctionKind.MajorDemerit => Months(decisionDate, 18),
            SanctionKind.Demotion or SanctionKind.RemovalFromPost => Months(decisionDate, 24),
            SanctionKind.Dismissal => Indefinite,
            _ => null,
        };
    }

    /// <summary>A period of N months from the decision date ends the day before the same day N months later.</summary>
    private static DateOnly Months(DateOnly decisionDate, int months) => decisionDate.AddMonths(months).AddDays(-1);
}
