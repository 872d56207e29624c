using CreditExchange.Domain.Errors;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Records;
using DishonestConduct = CreditExchange.Domain.Records.DishonestConduct;
using ResponsibleRole = CreditExchange.Contracts.Records.V1.ResponsibleRole;
using FieldViolation = CreditExchange.Domain.Errors.FieldViolation;

namespace CreditExchange.Server.Validation;

/// <summary>
/// The content checks CEL cannot express for what the law asks records to carry: judgment-debtor
/// listings (法释〔2017〕7号), responsible persons, projects and typed arrears.
/// </summary>
public sealed partial class RecordRules
{
    private const int MaxResponsiblePersons = 20;

    private static readonly FieldViolation NotAllowedWithoutGovernmentBody =
        new("", "is allowed only when the subject is a government body", FieldViolationReason.NotAllowed);

    private void CheckResponsiblePersons(RecordContent c, string path, DateOnly today, RuleContext at)
    {
        if (c.ResponsiblePerson is { } single)
        {
            if (single.ResidentId.Length > 0)
            {
                at.Field($"{path}.responsible_person.resident_id", () => ResidentId(single.ResidentId, today));
            }

            if (single.Role == ResponsibleRole.DebtorPersonInCharge)
            {
                at.Field($"{path}.responsible_person.role", () => new FieldViolation("", "must be RESPONSIBLE_ROLE_PRINCIPAL or RESPONSIBLE_ROLE_RELATED (or unspecified)", FieldViolationReason.NotAllowed));
            }

            if (c.ResponsiblePersons.Count > 0)
            {
                at.Field($"{path}.responsible_person", () => new FieldViolation("", "is not allowed together with responsible_persons: name everyone there", FieldViolationReason.NotAllowed));
            }
        }

        if (c.ResponsiblePersons.Count == 0)
        {
            return;
        }

        if (c.Subject?.KindCase != Subject.KindOneofCase.GovernmentBody)
        {
            at.Field($"{path}.responsible_persons", () => NotAllowedWithoutGovernmentBody);
        }

        var principals = 0;
        for (var i = 0; i < Math.Min(c.ResponsiblePersons.Count, MaxResponsiblePersons); i++)
        {
            var person = c.ResponsiblePersons[i];
            var item = $"{path}.responsible_persons[{i}]";
            if (person.ResidentId.Length > 0)
            {
                at.Field($"{item}.resident_id", () => ResidentId(person.ResidentId, today));
            }

            var secondPrincipal = person.Role == ResponsibleRole.Principal && ++principals > 1;
            at.Field($"{item}.role", () => person.Role switch
            {
                ResponsibleRole.Unspecified => new FieldViolation("", "is required: RESPONSIBLE_ROLE_PRINCIPAL or RESPONSIBLE_ROLE_RELATED", FieldViolationReason.Required),
                ResponsibleRole.Principal when secondPrincipal => new FieldViolation("", "names a second principal responsible person; a record has at most one", FieldViolationReason.DuplicatePrincipal),
                ResponsibleRole.Principal or ResponsibleRole.Related => null,
                _ => new FieldViolation("", "must be RESPONSIBLE_ROLE_PRINCIPAL or RESPONSIBLE_ROLE_RELATED", FieldViolationReason.NotAllowed),
            });
        }
    }

    private void CheckJudgmentDebtor(RecordContent c, string path, DateOnly? decided, DateOnly today, RuleContext at)
    {
        if (c.JudgmentDebtor is not { } debtor)
        {
            return;
        }

        var debtorPath = $"{path}.judgment_debtor";
        if (c.Category != Category.JudicialJudgment)
        {
            at.Field(debtorPath, () => new FieldViolation("", "is allowed only with category CATEGORY_JUDICIAL_JUDGMENT", FieldViolationReason.NotAllowed));
        }

        if (c.ValidityEndDate.Length > 0)
        {
            at.Field($"{path}.validity_end_date", () => new FieldViolation(
                "", "is not allowed with judgment_debtor: the listing period follows 法释〔2017〕7号 art. 2 (use listing_extension_years)", FieldViolationReason.NotAllowed));
        }

        if (c.Disclosure == Disclosure.SharedOnly)
        {
            at.Field($"{path}.disclosure", () => new FieldViolation(
                "", "must be DISCLOSURE_PUBLIC with judgment_debtor: the list of judgment debtors is public by law (法释〔2017〕7号 art. 7: 向社会公布); persons are masked as on every published record", FieldViolationReason.NotAllowed));
        }

        if (debtor.EnforcingCourt is { } court)
        {
            at.Field($"{debtorPath}.enforcing_court.credit_code", () => CreditCode(court.CreditCode));
        }

        at.Field($"{debtorPath}.filing_date", () =>
            !ChinaCalendar.TryParseIsoDate(debtor.FilingDate, out var filed)
                ? new FieldViolation("", "must be a real calendar date (YYYY-MM-DD)", FieldViolationReason.ImpossibleDate)
                : decided is { } d && filed > d
                    ? new FieldViolation("", "must not be after decision_date: the case is filed before the debtor is listed", FieldViolationReason.AfterDecision)
                    : null);

        var conducts = debtor.Conducts.Where(Enum.IsDefined).Select(k => (DishonestConduct)k).ToList();
        if (debtor.ListingExtensionYears > 0 && conducts.Count == debtor.Conducts.Count && !JudgmentDebtorRules.HasFixedPeriod(conducts))
        {
            at.Field($"{debtorPath}.listing_extension_years", () => new FieldViolation(
                "", "is allowed only with a conduct of art. 1 (二)–(六): a listing for (一) alone has no fixed period to extend", FieldViolationReason.NotAllowed));
        }

        if (debtor.PersonInCharge is { } inCharge)
        {
            if (c.Subject?.KindCase != Subject.KindOneofCase.GovernmentBody)
            {
                at.Field($"{debtorPath}.person_in_charge", () => NotAllowedWithoutGovernmentBody);
            }

            if (inCharge.ResidentId.Length > 0)
            {
                at.Field($"{debtorPath}.person_in_charge.resident_id", () => ResidentId(inCharge.ResidentId, today));
            }
        }
    }

    private void CheckProject(RecordContent c, string path, RuleContext at)
    {
        if (c.Project?.ImplementingAgency is { } agency)
        {
            at.Field($"{path}.project.implementing_agency.credit_code", () => CreditCode(agency.CreditCode));
        }
    }

    private static void CheckArrears(RecordContent c, string path, DateOnly? decided, DateOnly today, RuleContext at)
    {
        if (c.Arrears is not { } arrears)
        {
            return;
        }

        if (arrears.ProjectPayments is null && arrears.MigrantWorkersWages is null)
        {
            at.Field($"{path}.arrears", () => new FieldViolation("", "must name at least one kind: project_payments or migrant_workers_wages", FieldViolationReason.Required));
            return;
        }

        CheckArrearsAmount(arrears.ProjectPayments, $"{path}.arrears.project_payments", decided, today, at);
        CheckArrearsAmount(arrears.MigrantWorkersWages, $"{path}.arrears.migrant_workers_wages", decided, today, at);

        // Both amounts are at most 10^15 by the contract, so the sum cannot overflow.
        var owed = (arrears.ProjectPayments?.OwedFen ?? 0) + (arrears.MigrantWorkersWages?.OwedFen ?? 0);
        if (c.Penalty is { ArrearsFen: not 0 } penalty && penalty.ArrearsFen != owed)
        {
            at.Field($"{path}.penalty.arrears_fen", () => new FieldViolation(
                "", $"must be 0 or the arrears' owed total ({owed} fen) when arrears are sent by kind", FieldViolationReason.ArrearsMismatch));
        }
    }

    private static void CheckArrearsAmount(ArrearsAmount? amount, string path, DateOnly? decided, DateOnly today, RuleContext at)
    {
        if (amount is null || amount.OwedFen < 1)
        {
            return; // none sent, or the contract's own rule reports the amount
        }

        if (amount.PaidFen > amount.OwedFen)
        {
            at.Field($"{path}.paid_fen", () => new FieldViolation("", "must not exceed owed_fen", FieldViolationReason.ExceedsOwed));
            return;
        }

        var settled = amount.PaidFen == amount.OwedFen;
        at.Field($"{path}.settled_date", () => (settled, amount.SettledDate.Length > 0) switch
        {
            (true, false) => new FieldViolation("", "is required once paid_fen equals owed_fen", FieldViolationReason.Required),
            (false, true) => new FieldViolation("", "is allowed only once paid_fen equals owed_fen", FieldViolationReason.NotAllowed),
            (false, false) => null,
            _ => !ChinaCalendar.TryParseIsoDate(amount.SettledDate, out var day)
                ? new FieldViolation("", "must be a real calendar date (YYYY-MM-DD)", FieldViolationReason.ImpossibleDate)
                : day > today
                    ? new FieldViolation("", $"must not be after today ({today:yyyy-MM-dd}, Beijing time)", FieldViolationReason.DateInFuture)
                    : decided is { } d && day < d
                        ? new FieldViolation("", "must not be before decision_date", FieldViolationReason.BeforeDecision)
                        : null,
        });
    }
}
