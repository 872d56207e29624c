using System.Globalization;
using System.Security.Cryptography;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Intake;
using CreditExchange.Domain.Lifecycle;
using CreditExchange.Domain.Records;
using CreditExchange.Server.Calls;
using CreditExchange.Server.Privacy;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;
using Google.Protobuf;
using DomainSanctionKind = CreditExchange.Domain.Records.SanctionKind;
using DomainResponsibleRole = CreditExchange.Domain.Records.ResponsibleRole;
using ListingRemovalGround = CreditExchange.Domain.Records.ListingRemovalGround;
using RecordDomain = CreditExchange.Domain.Records.RecordDomain;

namespace CreditExchange.Server.Records;

/// <summary>
/// The one way a record's content enters the hub, for a submission and for a correction alike: the
/// content mapped to the domain's model of it (<see cref="RecordContentFacts"/>), whose rules
/// (<see cref="RecordIntakeRules"/>) check the agency's competence and fix the periods of effect and
/// disclosure; then identifiers normalised, the content hashed canonically (so a retry can be told from
/// a conflict), personal data protected (content sealed, a civil servant's identifier as a keyed hash,
/// and so every person it names as responsible), and the columns queries need (project code, arrears)
/// set. The store only persists what comes out of here.
/// </summary>
public sealed class RecordIntake(RecordStore store, PersonalDataProtector protector, CallContext call, RecordIntakeRules rules)
{
    /// <summary>Prepares a new submission by the calling agency, accepted on the call's date.</summary>
    public PreparedRecord Prepare(SubmitRecordRequest request) => Prepare(call.Agency, request, call.Today);

    /// <summary>Prepares a submission by <paramref name="agency"/> accepted on <paramref name="acceptedOn"/> (also for tools that bulk-load what the hub would store).</summary>
    public PreparedRecord Prepare(Agency agency, SubmitRecordRequest request, DateOnly acceptedOn) =>
        Prepare(agency, request.SourceRecordId, request.Record, acceptedOn);

    /// <summary>
    /// Stores prepared submissions in one transaction with the call's audit entry: each is accepted, or answered as a
    /// duplicate (a retry of what was first submitted) or a conflict (its source id holds other content).
    /// </summary>
    public Task<IReadOnlyList<SubmitResult>> SubmitAsync(IReadOnlyList<PreparedRecord> items, CancellationToken ct) =>
        store.SubmitManyAsync(items.Select(i => i.Row).ToList(), call.Now, Classify, ct);

    /// <summary>
    /// Makes <paramref name="content"/> the record's new version, exactly as a submission of it would be
    /// stored; its periods follow the new content under the policy of its first acceptance day. Answers the
    /// content as stored (normalised, in clear), for the answer.
    /// </summary>
    public RecordContent ApplyCorrection(RecordEntity row, Agency caller, RecordContent content)
    {
        var prepared = Prepare(caller, row.SourceRecordId, content, ChinaCalendar.DateOf(row.AcceptedAt), row.ListingRemovedOn);
        RecordStore.ApplyContent(row, prepared.Row);
        return prepared.Content;
    }

    /// <summary>
    /// Ends the record's judgment-debtor listing on <paramref name="removedOn"/>: its period of effect
    /// and publication end there, and stay so through later corrections.
    /// </summary>
    public void ApplyListingRemoval(RecordEntity row, Agency caller, DateOnly removedOn, ListingRemovalGround ground)
    {
        row.ListingRemovedOn = removedOn;
        row.ListingRemovalGround = (int)ground;
        var content = RecordContent.Parser.ParseFrom(protector.Open(row.Content));
        RecordStore.ApplyContent(row, Prepare(caller, row.SourceRecordId, content, ChinaCalendar.DateOf(row.AcceptedAt), removedOn).Row);
    }

    /// <summary>A retry matches what was first submitted, even after a correction changed the content.</summary>
    public static SubmitOutcome Classify(RecordEntity existing, NewRecord item)
    {
        var submitted = existing.SubmittedContentHash ?? existing.ContentHash;
        return submitted.AsSpan().SequenceEqual(item.ContentHash) ? SubmitOutcome.Duplicate : SubmitOutcome.Conflict;
    }

    private PreparedRecord Prepare(Agency agency, string sourceRecordId, RecordContent request, DateOnly acceptedOn, DateOnly? listingRemovedOn = null)
    {
        var content = request.Clone();
        var decision = rules.Decide(agency, Facts(content), acceptedOn, listingRemovedOn);
        Normalize(content);

        // Google.Protobuf writes fields in number order with no maps involved: the bytes are
        // canonical for a given content, so their hash identifies it.
        var bytes = content.ToByteArray();
        var subject = content.Subject;
        var (kind, key) = subject.KindCase == Subject.KindOneofCase.GovernmentBody
            ? (SubjectKind.GovernmentBody, subject.GovernmentBody.CreditCode)
            : (SubjectKind.CivilServant, subject.CivilServant.ResidentId);
        return new PreparedRecord(content, new NewRecord(
            agency.Id,
            sourceRecordId,
            // The idempotency hash stays over the plaintext canonical content (encryption is randomised).
            SHA256.HashData(bytes),
            (int)kind,
            call.RecordSubjectKey(kind, key),
            subject.DivisionCode,
            (int)content.Category,
            (int)content.Severity,
            (int)content.Domain,
            (int)content.Disclosure,
            Date(content.DecisionDate),
            decision.EffectLastDay,
            protector.Seal(bytes),
            Derive(content, call.SubjectKey),
            decision.Periods,
            decision.ListingLastDay));
    }

    /// <summary>What the law's rules read of the content (the domain's model of it); the content passed validation.</summary>
    public static RecordContentFacts Facts(RecordContent content) => new(
        (RecordCategory)content.Category,
        (RecordDomain)content.Domain,
        (RecordSeverity)content.Severity,
        Date(content.DecisionDate),
        content.ValidityEndDate.Length > 0 ? Date(content.ValidityEndDate) : null,
        content.SanctionKind == Contracts.Records.V1.SanctionKind.Unspecified ? null : (DomainSanctionKind)content.SanctionKind,
        content.JudgmentDebtor is { } debtor
            ? new JudgmentDebtorFacts([.. debtor.Conducts.Select(c => (Domain.Records.DishonestConduct)c)], debtor.ListingExtensionYears)
            : null,
        [.. Validation.SeverityTableFile.KindsOf(content)]);

    /// <summary>
    /// Sets the derived columns (arrears, project code, named persons) of a row an earlier hub wrote,
    /// from its stored content; nothing else of it changes (start-up backfill).
    /// </summary>
    public static void BackfillDerivedColumns(RecordEntity row, PersonalDataProtector protector)
    {
        var content = RecordContent.Parser.ParseFrom(protector.Open(row.Content));
        Normalize(content);
        RecordStore.ApplyDerived(row, Derive(content, protector.SubjectKey));
    }

    /// <summary>The content's derived columns; the content is normalised.</summary>
    /// <remarks><paramref name="subjectKey"/> hashes a person's resident ID: the call's memo in a call, so each is hashed once.</remarks>
    private static DerivedColumns Derive(RecordContent content, Func<string, string> subjectKey) =>
        new(Arrears(content), content.Project?.Code, NamedPersons(content, subjectKey));


    /// <summary>
    /// The arrears the content finds: its typed amounts when it has them, else the untyped
    /// Penalty.arrears_fen (which RecordRules requires to be 0 or their sum when both are sent).
    /// </summary>
    private static ArrearsColumns Arrears(RecordContent content)
    {
        if (content.Arrears is not { } arrears)
        {
            return new ArrearsColumns(content.Penalty.ArrearsFen, 0, 0, 0);
        }

        var project = arrears.ProjectPayments ?? new ArrearsAmount();
        var wages = arrears.MigrantWorkersWages ?? new ArrearsAmount();
        return new ArrearsColumns(project.OwedFen + wages.OwedFen, project.OwedFen, wages.OwedFen, project.PaidFen + wages.PaidFen);
    }

    /// <summary>Every person the content names as responsible with a resident ID, as a keyed hash and role, each once (the first role).</summary>
    private static List<NamedPerson> NamedPersons(RecordContent content, Func<string, string> subjectKey)
    {
        var named = new List<(string ResidentId, DomainResponsibleRole Role)>();
        if (content.ResponsiblePerson is { ResidentId.Length: > 0 } single)
        {
            named.Add((single.ResidentId, single.Role == Contracts.Records.V1.ResponsibleRole.Related ? DomainResponsibleRole.Related : DomainResponsibleRole.Principal));
        }

        named.AddRange(content.ResponsiblePersons.Where(p => p.ResidentId.Length > 0).Select(p => (p.ResidentId, (DomainResponsibleRole)p.Role)));
        if (content.JudgmentDebtor?.PersonInCharge is { ResidentId.Length: > 0 } inCharge)
        {
            named.Add((inCharge.ResidentId, DomainResponsibleRole.DebtorPersonInCharge));
        }

        return named
            .GroupBy(p => p.ResidentId, StringComparer.Ordinal)
            .Select(g => new NamedPerson(subjectKey(g.Key), (int)g.Min(p => p.Role)))
            .ToList();
    }

    private static void Normalize(RecordContent content)
    {
        if (content.Subject.CivilServant is { } person)
        {
            person.ResidentId = RecordSubjects.NormalizeResidentId(person.ResidentId);
        }

        if (content.ResponsiblePerson is { } responsible)
        {
            responsible.ResidentId = RecordSubjects.NormalizeResidentId(responsible.ResidentId);
        }

        foreach (var named in content.ResponsiblePersons)
        {
            named.ResidentId = RecordSubjects.NormalizeResidentId(named.ResidentId);
        }

        if (content.JudgmentDebtor?.PersonInCharge is { } inCharge)
        {
            inCharge.ResidentId = RecordSubjects.NormalizeResidentId(inCharge.ResidentId);
        }
    }

    /// <summary>Dates here passed validation (RecordRules), so they parse.</summary>
    private static DateOnly Date(string value) => DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>A submission as intake prepared it: the row to store, and its content as stored (normalised, in clear) for the answer.</summary>
public sealed record PreparedRecord(RecordContent Content, NewRecord Row);
