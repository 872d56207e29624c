using CreditExchange.Domain.Errors;
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
        var today = at.Today;
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
                CheckAsOfDate(statistics.AsOfDate, today, at);
                break;
            case ListWarningsRequest warnings:
                CheckDateRange(warnings.DecisionDateFrom, warnings.DecisionDateTo, at);
                CheckAsOfDate(warnings.AsOfDate, today, at);
                break;
            case Contracts.Publication.V1.ListPublicationsRequest publications:
                CheckAsOfDate(publications.AsOfDate, today, at);
                break;
        }
    }

    /// <summary>An optional as-of date: a real date, not after today.</summary>
    private static void CheckAsOfDate(string value, DateOnly today, RuleContext at)
    {
        if (value.Length == 0)
        {
            return;
        }

        at.Field("as_of_date", () =>
            !ChinaCalendar.TryParseIsoDate(value, out var day)
                ? new Domain.Errors.FieldViolation("", "must be a real calendar date (YYYY-MM-DD)", FieldViolationReason.ImpossibleDate)
                : day > today
                    ? new Domain.Errors.FieldViolation("", $"must not be after today ({today:yyyy-MM-dd}, Beijing time)", FieldViolationReason.DateInFuture)
                    : null);
    }
}
