using CreditExchange.Contracts.Bidding.V1;
using CreditExchange.Domain.Bidding;
using CreditExchange.Domain.Errors;
using CreditExchange.Domain.Identifiers;
using CreditExchange.Domain.Records;
using FieldViolation = CreditExchange.Domain.Errors.FieldViolation;

namespace CreditExchange.Server.Validation;

/// <summary>The bidding blacklist's checks CEL cannot express: a market subject's credit code, real dates and the listing period.</summary>
public sealed partial class RecordRules
{
    private bool CheckBidding(Google.Protobuf.IMessage message, RuleContext at)
    {
        switch (message)
        {
            case SubmitEntryRequest submit when submit.Entry is not null:
                CheckEntry(submit.Entry, "entry", at);
                return true;
            case PublishTenderingAgencyRequest publish when publish.Profile is not null:
                at.Field("profile.credit_code", () => MarketSubjectCode(publish.Profile.CreditCode));
                return true;
            case ListPublishedEntriesRequest list when list.CreditCode.Length > 0:
                at.Field("credit_code", () => CreditCode(list.CreditCode));
                return true;
            case GetTenderingAgencyRequest get:
                at.Field("credit_code", () => CreditCode(get.CreditCode));
                return true;
            case SubmitEntryRequest or PublishTenderingAgencyRequest or ListPublishedEntriesRequest or RemoveEntryRequest or GetEntryRequest
                or FileEntryObjectionRequest or AnswerEntryObjectionRequest:
                return true;
            default:
                return false;
        }
    }

    private void CheckEntry(EntryContent entry, string path, RuleContext at)
    {
        if (entry.Subject is { } subject)
        {
            at.Field($"{path}.subject.credit_code", () => MarketSubjectCode(subject.CreditCode));
        }

        // A required text of blanks says nothing: refused as names are hub-wide (EveryField).
        foreach (var (field, text) in new[]
                 {
                     ("subject.legal_representative", entry.Subject?.LegalRepresentative ?? ""), ("decision_number", entry.DecisionNumber),
                     ("ground", entry.Ground), ("legal_basis", entry.LegalBasis),
                 })
        {
            at.Field($"{path}.{field}", () => text.Length > 0 && string.IsNullOrWhiteSpace(text)
                ? new FieldViolation("", "must not be only whitespace", FieldViolationReason.WhitespaceOnly)
                : null);
        }

        var today = at.Today;
        DateOnly? entryDate = null;
        at.Field($"{path}.entry_date", () =>
        {
            if (!ChinaCalendar.TryParseIsoDate(entry.EntryDate, out var date))
            {
                return new FieldViolation("", "must be a real calendar date (YYYY-MM-DD)", FieldViolationReason.ImpossibleDate);
            }

            entryDate = date;
            return date > today ? new FieldViolation("", $"must not be after today ({today:yyyy-MM-dd}, Beijing time)", FieldViolationReason.DateInFuture) : null;
        });
        at.Field($"{path}.exit_date", () =>
            !ChinaCalendar.TryParseIsoDate(entry.ExitDate, out var exit)
                ? new FieldViolation("", "must be a real calendar date (YYYY-MM-DD)", FieldViolationReason.ImpossibleDate)
                : entryDate is { } from && exit < from
                    ? new FieldViolation("", "must not be before entry_date", FieldViolationReason.RangeReversed)
                    : entryDate is { } start && exit > start.AddYears(BiddingSupervision.MaxYearsListed)
                        ? new FieldViolation("", $"must be at most {BiddingSupervision.MaxYearsListed} years after entry_date", FieldViolationReason.ListingTooLong)
                        : null);
    }

    private FieldViolation? MarketSubjectCode(string value) =>
        CreditCode(value) ?? (UnifiedSocialCreditCode.TryValidateMarketSubject(value, _acceptedCreditCodes, out var error) ? null : Violation(error!));
}
