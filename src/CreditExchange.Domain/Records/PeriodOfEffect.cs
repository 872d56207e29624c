namespace CreditExchange.Domain.Records;

/// <summary>
/// How long a record's finding has its legal effect, as distinct from how long it is published
/// (the disclosure period). The law's table (<see cref="SeverityTableVersion.End"/>) gives a 政务处分 its fixed
/// statutory period (公职人员政务处分法 art. 8: 警告 6 months, 记过 12, 记大过 18, 降级 and 撤职 24; 开除 none) and an
/// accountability measure its least influence period (影响期), which the decision may lengthen by a typed end
/// (处罚有效期, 影响期: the content's validity end date). Other records have the typed end or none: appraisal then
/// counts them by its look-back windows. A court's judgment-debtor listing has its listing period instead
/// (<see cref="JudgmentDebtorRules"/>).
/// </summary>
public static class PeriodOfEffect
{
    /// <summary>The last day of a period that never ends (stored as such, so that "on or before" comparisons need no special case).</summary>
    public static readonly DateOnly Indefinite = DateOnly.MaxValue;

    /// <summary>
    /// The last day of the record's period of effect; <see cref="Indefinite"/> when it never ends; null when the
    /// record has none. A fixed statutory period wins over any typed end (intake refuses one that differs); a least
    /// period is lengthened by a later typed end.
    /// </summary>
    public static DateOnly? LastDay(DateOnly? validityEnd, StatutoryEnd? statutory) => statutory switch
    {
        { Fixed: true } fixedEnd => fixedEnd.LastDay,
        { } least => validityEnd is { } typed && typed > least.LastDay ? typed : least.LastDay,
        null => validityEnd,
    };

    /// <summary>
    /// Why a typed end contradicts the law (null when it does not): it differs from a fixed statutory period, or ends
    /// before a least one.
    /// </summary>
    public static string? Contradiction(DateOnly validityEnd, StatutoryEnd? statutory) => statutory switch
    {
        { Fixed: true } s when s.LastDay == Indefinite =>
            $"must be empty: {s.Kind} has no end ({s.Source})",
        { Fixed: true } s when validityEnd != s.LastDay =>
            $"must be empty or {Iso(s.LastDay)}: {s.Kind} has the statutory period ending {Iso(s.LastDay)} ({s.Source}); a review (复审/复核) that changes the sanction is recorded with ReviewSanction",
        { Fixed: false } s when validityEnd < s.LastDay =>
            $"must not be before {Iso(s.LastDay)}: {s.Kind} has an influence period (影响期) of at least that long ({s.Source})",
        _ => null,
    };

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
