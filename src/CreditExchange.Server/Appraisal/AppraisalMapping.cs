using System.Globalization;
using CreditExchange.Contracts.Appraisal.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Appraisal;
using Decision = CreditExchange.Contracts.Appraisal.V1.Decision;

namespace CreditExchange.Server.Appraisal;

internal static class AppraisalMapping
{
    public static CandidateResult ToProto(CheckedCandidate candidate, int index) => new()
    {
        Index = index,
        Subject = candidate.Subject,
        Decision = (Decision)candidate.Decision.Decision,
        DecidingRecords = { candidate.Decision.DecidingRecords.Select(ToProto) },
        ObjectionPending = candidate.Decision.ObjectionPending,
        DecidingRecordCount = candidate.Decision.DecidingRecordCount,
    };

    public static AppliedRules ToProto(CheckOutcome outcome) => new()
    {
        RuleSetVersion = outcome.RuleSet.Version,
        EffectiveDate = Iso(outcome.RuleSet.EffectiveFrom),
        CheckDate = Iso(outcome.CheckDate),
        LookBackStartDate = Iso(outcome.LookBackStart),
        Basis = (Contracts.Appraisal.V1.AppraisalBasis)outcome.Rule.Basis,
    };

    private static DecidingRecord ToProto(RecordFacts record) => new()
    {
        RecordId = record.Id.ToString(),
        AgencyId = record.AgencyId,
        Category = (Category)record.Category,
        Severity = (Severity)record.Severity,
        DecisionDate = Iso(record.DecisionDate),
        Status = (RecordStatus)record.Status,
        EffectEndDate = Records.RecordMapping.EffectEndDate(record.Standing.EffectLastDay),
        EffectIndefinite = record.Standing.EffectLastDay == Domain.Records.PeriodOfEffect.Indefinite,
        ResponsibleRole = (ResponsibleRole)(int)(record.NamedAs ?? 0),
        RecordVersion = record.Version,
    };

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
