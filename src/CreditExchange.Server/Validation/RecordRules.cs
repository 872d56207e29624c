using CreditExchange.Contracts.Lifecycle.V1;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Errors;
using FieldViolation = CreditExchange.Domain.Errors.FieldViolation;
using CreditExchange.Domain.Identifiers;
using CreditExchange.Domain.Records;
using CreditExchange.Server.Settings;
using Google.Protobuf;
using Microsoft.Extensions.Options;

namespace CreditExchange.Server.Validation;

/// <summary>The record checks that protovalidate's CEL cannot express, written against the domain's identifier rules.</summary>
public sealed partial class RecordRules(IOptions<HubOptions> options, SeverityTable severities)
{
    private readonly IReadOnlySet<string> _acceptedCreditCodes = options.Value.AcceptedNonconformingCreditCodes.ToHashSet(StringComparer.Ordinal);

    public void Check(IMessage message, RuleContext at)
    {
        if (CheckBidding(message, at))
        {
            return;
        }

        switch (message)
        {
            case SubmitRecordRequest submit when submit.Record is not null:
                CheckContent(submit.Record, "record", at);
                break;
            case ListSubjectRecordsRequest list:
                CheckList(list, at);
                break;
            case CorrectRecordRequest correct when correct.Content is not null:
                CheckContent(correct.Content, "content", at);
                break;
            case AnswerObjectionRequest answer:
                CheckAnswer(answer, at);
                break;
            case ReviewSanctionRequest review:
                CheckReview(review, at);
                break;
            default:
                CheckQuery(message, at);
                break;
        }
    }

    private void CheckAnswer(AnswerObjectionRequest answer, RuleContext at)
    {
        var correcting = answer.Outcome == ObjectionState.Corrected;
        at.Field("corrected_content", () => (correcting, answer.CorrectedContent is null) switch
        {
            (true, true) => new FieldViolation("", "is required when outcome is OBJECTION_STATE_CORRECTED", FieldViolationReason.Required),
            (false, false) => new FieldViolation("", "must be empty unless outcome is OBJECTION_STATE_CORRECTED", FieldViolationReason.NotAllowed),
            _ => null,
        });
        if (correcting && answer.CorrectedContent is not null)
        {
            CheckContent(answer.CorrectedContent, "corrected_content", at);
        }
    }

    private static void CheckReview(ReviewSanctionRequest review, RuleContext at)
    {
        var changing = review.Outcome == SanctionReviewOutcome.Changed;
        var kindGiven = review.SanctionKind != Contracts.Records.V1.SanctionKind.Unspecified;
        at.Field("sanction_kind", () => (changing, kindGiven) switch
        {
            (true, false) => new FieldViolation("", "is required when outcome is SANCTION_REVIEW_OUTCOME_CHANGED", FieldViolationReason.Required),
            (false, true) => new FieldViolation("", "must be empty unless outcome is SANCTION_REVIEW_OUTCOME_CHANGED", FieldViolationReason.NotAllowed),
            _ => null,
        });
        var today = at.Today;
        at.Field("decision_date", () =>
            !ChinaCalendar.TryParseIsoDate(review.DecisionDate, out var date)
                ? new FieldViolation("", "must be a real calendar date (YYYY-MM-DD)", FieldViolationReason.ImpossibleDate)
                : date > today
                    ? new FieldViolation("", $"must not be after today ({today:yyyy-MM-dd}, Beijing time)", FieldViolationReason.DateInFuture)
                    : null);
    }

    private void CheckContent(RecordContent c, string path, RuleContext at)
    {
        var today = at.Today;
        if (c.Subject is { } subject)
        {
            if (subject.GovernmentBody is { } body)
            {
                at.Field($"{path}.subject.government_body.credit_code", () => CreditCode(body.CreditCode)
                    ?? (UnifiedSocialCreditCode.TryValidateGovernmentBody(body.CreditCode, _acceptedCreditCodes, out var error) ? null : Violation(error!)));
            }

            if (subject.CivilServant is { } person)
            {
                at.Field($"{path}.subject.civil_servant.resident_id", () => ResidentId(person.ResidentId, today));
            }

            at.Field($"{path}.subject.division_code", () =>
                DivisionCodes.IsCurrentSubjectRegion(subject.DivisionCode, today, out var error) ? null : Violation(error!));
        }

        if (c.DecidingAuthority is { } authority)
        {
            at.Field($"{path}.deciding_authority.credit_code", () => CreditCode(authority.CreditCode));
        }

        CheckResponsiblePersons(c, path, today, at);

        DateOnly? decided = null;
        at.Field($"{path}.decision_date", () =>
        {
            if (!ChinaCalendar.TryParseIsoDate(c.DecisionDate, out var date))
            {
                return new FieldViolation("", "must be a real calendar date (YYYY-MM-DD)", FieldViolationReason.ImpossibleDate);
            }

            if (date > today)
            {
                return new FieldViolation("", $"must not be after today ({today:yyyy-MM-dd}, Beijing time)", FieldViolationReason.DateInFuture);
            }

            if (date < ChinaCalendar.EarliestDecisionDate)
            {
                return new FieldViolation("", "must not be before 1949-10-01", FieldViolationReason.DateTooEarly);
            }

            decided = date;
            return null;
        });

        CheckKinds(c, path, decided ?? today, at);
        CheckJudgmentDebtor(c, path, decided, today, at);
        CheckProject(c, path, at);
        CheckArrears(c, path, decided, today, at);

        if (c.ValidityEndDate.Length > 0)
        {
            at.Field($"{path}.validity_end_date", () =>
            {
                if (!ChinaCalendar.TryParseIsoDate(c.ValidityEndDate, out var end))
                {
                    return new FieldViolation("", "must be a real calendar date (YYYY-MM-DD)", FieldViolationReason.ImpossibleDate);
                }

                if (decided is not { } d)
                {
                    return null;
                }

                if (end < d)
                {
                    return new FieldViolation("", "must not be before decision_date", FieldViolationReason.EndsBeforeDecision);
                }

                // The law's periods are not the clerk's: a 政务处分's is fixed, an accountability measure's has a least length.
                var statutory = severities.For(d).End(d, SeverityTableFile.KindsOf(c));
                return PeriodOfEffect.Contradiction(end, statutory) is { } why
                    ? new FieldViolation("", why, FieldViolationReason.StatutoryPeriod)
                    : null;
            });
        }
    }

    /// <summary>Sanction kinds and accountability measures belong to their categories; the severity is at least what the kinds imply.</summary>
    private void CheckKinds(RecordContent c, string path, DateOnly decided, RuleContext at)
    {
        if (c.SanctionKind != Contracts.Records.V1.SanctionKind.Unspecified && c.Category != Category.DisciplinarySanction)
        {
            at.Field($"{path}.sanction_kind", () => new FieldViolation("", "is allowed only with category CATEGORY_DISCIPLINARY_SANCTION", FieldViolationReason.NotAllowed));
        }

        if (c.AccountabilityMeasures.Count > 0 && c.Category != Category.AccountabilityAction)
        {
            at.Field($"{path}.accountability_measures", () => new FieldViolation("", "are allowed only with category CATEGORY_ACCOUNTABILITY_ACTION", FieldViolationReason.NotAllowed));
        }

        if (c.Severity == Severity.Unspecified || !Enum.IsDefined(c.Severity))
        {
            return; // the contract's own rule reports it
        }

        var table = severities.For(decided);
        if (table.Requirement(SeverityTableFile.KindsOf(c)) is { } required && (RecordSeverity)c.Severity < required.Minimum)
        {
            var minimum = SeverityTableFile.SeverityName(required.Minimum);
            at.Field($"{path}.severity", () => new FieldViolation(
                "", $"must be at least {minimum}: {required.Kind} requires it (severity table {table.Version})", FieldViolationReason.SeverityBelowKind));
        }
        else if (c.Severity == Severity.Minor && c.Penalty is { } penalty
            && table.MinorCaps?.Excludes(penalty.FineFen, penalty.ConfiscatedFen, subjectIsPerson: c.Subject?.CivilServant is not null) is { } why)
        {
            at.Field($"{path}.severity", () => new FieldViolation(
                "", $"must not be SEVERITY_MINOR: {why} (severity table {table.Version})", FieldViolationReason.SeverityBelowAmount));
        }
    }

    private void CheckList(ListSubjectRecordsRequest list, RuleContext at)
    {
        var today = at.Today;
        if (list.Subject is { } key)
        {
            CheckSubjectKey(key, "subject", today, at);
        }

        CheckDateRange(list.DecisionDateFrom, list.DecisionDateTo, at);
    }

    private void CheckSubjectKey(SubjectKey key, string path, DateOnly today, RuleContext at)
    {
        if (key.KeyCase == SubjectKey.KeyOneofCase.CreditCode)
        {
            at.Field($"{path}.credit_code", () => CreditCode(key.CreditCode));
        }

        if (key.KeyCase == SubjectKey.KeyOneofCase.ResidentId)
        {
            at.Field($"{path}.resident_id", () => ResidentId(key.ResidentId, today));
        }
    }

    /// <summary>Optional (or, when the contract requires them, present) decision_date_from/to: real dates, in order.</summary>
    private static void CheckDateRange(string fromText, string toText, RuleContext at)
    {
        DateOnly? from = null;
        if (fromText.Length > 0)
        {
            at.Field("decision_date_from", () =>
            {
                if (!ChinaCalendar.TryParseIsoDate(fromText, out var d))
                {
                    return new FieldViolation("", "must be a real calendar date (YYYY-MM-DD)", FieldViolationReason.ImpossibleDate);
                }

                from = d;
                return null;
            });
        }

        if (toText.Length > 0)
        {
            at.Field("decision_date_to", () =>
                !ChinaCalendar.TryParseIsoDate(toText, out var to)
                    ? new FieldViolation("", "must be a real calendar date (YYYY-MM-DD)", FieldViolationReason.ImpossibleDate)
                    : from is { } f && to < f
                        ? new FieldViolation("", "must not be before decision_date_from", FieldViolationReason.RangeReversed)
                        : null);
        }
    }

    private FieldViolation? CreditCode(string value) =>
        UnifiedSocialCreditCode.TryValidate(value, _acceptedCreditCodes, out var error) ? null : Violation(error!);

    private static FieldViolation? ResidentId(string value, DateOnly today) =>
        ResidentIdNumber.TryNormalize(value, today, out _, out var error) ? null : Violation(error!);

    private static FieldViolation Violation(IdentifierError error) => new("", error.Message, error.Reason);
}
