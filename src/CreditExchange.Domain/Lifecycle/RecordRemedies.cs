using CreditExchange.Domain.Records;

namespace CreditExchange.Domain.Lifecycle;

/// <summary>
/// Which remedy reaches which kind of record, in one place. Credit repair (国家发展改革委《信用修复管理办法》, in force
/// 2026-04-01) restores the credit of those with administrative penalties and other dishonesty information under its
/// measures — here administrative penalties and breaches of credit commitments (违背信用承诺). It does not reach:
/// <list type="bullet">
/// <item>a 政务处分: it ends by its period (公职人员政务处分法 art. 8) or is changed or revoked by 复审/复核 (ch. 5; ReviewSanction);</item>
/// <item>an accountability measure (问责): its influence period and the 问责条例 govern it;</item>
/// <item>a court's judgment (and a judgment-debtor listing: the court removes it, 法释〔2017〕7号 art. 10);</item>
/// <item>a procuratorial outcome: the procuratorate's own procedure governs it.</item>
/// </list>
/// Objections (异议) and revocation by the source agency reach every record.
/// </summary>
public static class RecordRemedies
{
    /// <summary>Why credit repair does not reach a record of <paramref name="category"/>; null when it does.</summary>
    public static string? WhyNotRepairable(RecordCategory category) => category switch
    {
        RecordCategory.AdministrativePenalty or RecordCategory.BreachOfCommitment => null,
        RecordCategory.DisciplinarySanction =>
            "a disciplinary sanction (政务处分, CATEGORY_DISCIPLINARY_SANCTION) is not repaired under 信用修复管理办法: it ends by its statutory period (公职人员政务处分法 art. 8) or is changed or revoked on review (复审/复核, ch. 5: ReviewSanction).",
        RecordCategory.AccountabilityAction =>
            "an accountability measure (问责, CATEGORY_ACCOUNTABILITY_ACTION) is not repaired under 信用修复管理办法: its influence period (影响期) and 中国共产党问责条例 govern it.",
        RecordCategory.JudicialJudgment =>
            "a court's judgment (CATEGORY_JUDICIAL_JUDGMENT) is not repaired under 信用修复管理办法: only the court changes it (retrial, or removal of a judgment-debtor listing under 法释〔2017〕7号 art. 10).",
        RecordCategory.ProcuratorialOutcome =>
            "a procuratorial outcome (CATEGORY_PROCURATORIAL_OUTCOME) is not repaired under 信用修复管理办法: the procuratorate's own procedure governs it.",
        _ => $"credit repair does not reach category {category}.",
    };
}
