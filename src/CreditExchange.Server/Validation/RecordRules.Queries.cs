using CreditExchange.Contracts.Appraisal.V1;
using CreditExchange.Contracts.CreditFile.V1;
using CreditExchange.Contracts.Statistics.V1;
using CreditExchange.Domain.Records;
using Google.Protobuf;

namespace CreditExchange.Server.Validation;

/// <summary>The checks CEL cannot express for appraisal checks, credit files and statistics.</summary>
public sealed partial class RecordRules
{
    private void CheckQuery(IMessage message, RuleContext at)
    {
        var today = ChinaCalendar.Today(time);
        switch (message)
        {
            case CheckCandidateRequest { Subject: { } subject }:
                CheckSubjectKey(subject, "subject", today, at);
                break;
            case CheckCandidatesRequest batch:
                for (var i = 0; i < batch.Subjects.Count; i++)
                {
                    CheckSubjectKey(batch.Subjects[i], $"subjects[{i}]", today, at);
                }

                break;
            case GetCreditFileRequest { Subject: { } subject }:
                CheckSubjectKey(subject, "subject", today, at);
                break;
            case GetRecordStatisticsRequest statistics:
                CheckDateRange(statistics.DecisionDateFrom, statistics.DecisionDateTo, at);
                break;
            case ListWarningsRequest warnings:
                CheckDateRange(warnings.DecisionDateFrom, warnings.DecisionDateTo, at);
                break;
        }
    }
}
