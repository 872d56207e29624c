using System.Globalization;
using System.Security.Cryptography;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Lifecycle;
using CreditExchange.Domain.Records;
using CreditExchange.Server.Privacy;
using CreditExchange.Storage;
using CreditExchange.Storage.Entities;
using Google.Protobuf;
using DomainSanctionKind = CreditExchange.Domain.Records.SanctionKind;
using RecordDomain = CreditExchange.Domain.Records.RecordDomain;

namespace CreditExchange.Server.Records;

/// <summary>
/// The one way a record's content enters the hub, for a submission and for a correction alike:
/// competence checked, identifiers normalised, content hashed canonically (so a retry can be told
/// from a conflict), personal data protected (content sealed, a civil servant's identifier as a
/// keyed hash), and the disclosure period and period of effect fixed. The store only persists
/// what comes out of here.
/// </summary>
public sealed class RecordIntake(RecordStore store, PersonalDataProtector protector, Grpc.CallContext call, DisclosurePolicyBook policies, TimeProvider time)
{
    /// <summary>Prepares a new submission, accepted today.</summary>
    public NewRecord Prepare(Agency agency, SubmitRecordRequest request) =>
        Prepare(agency, request.SourceRecordId, request.Record, ChinaCalendar.Today(time));

    /// <summary>
    /// Stores prepared submissions in one transaction: each is accepted, or answered as a duplicate
    /// (a retry of what was first submitted) or a conflict (its source id holds other content).
    /// </summary>
    public Task<IReadOnlyList<SubmitResult>> SubmitAsync(IReadOnlyList<NewRecord> items, CancellationToken ct) =>
        store.SubmitManyAsync(items, RecordHistory.Stored(time.GetUtcNow()), Classify, ct);

    /// <summary>
    /// Makes <paramref name="content"/> the record's new version, exactly as a submission of it would be
    /// stored; its periods follow the new content under the policy of its first acceptance day.
    /// </summary>
    public void ApplyCorrection(RecordEntity row, Agency caller, RecordContent content) =>
        RecordStore.ApplyContent(row, Prepare(caller, row.SourceRecordId, content, ChinaCalendar.DateOf(row.AcceptedAt)));

    /// <summary>A retry matches what was first submitted, even after a correction changed the content.</summary>
    public static SubmitOutcome Classify(RecordEntity existing, NewRecord item)
    {
        var submitted = existing.SubmittedContentHash ?? existing.ContentHash;
        return submitted.AsSpan().SequenceEqual(item.ContentHash) ? SubmitOutcome.Duplicate : SubmitOutcome.Conflict;
    }

    private NewRecord Prepare(Agency agency, string sourceRecordId, RecordContent request, DateOnly acceptedOn)
    {
        var content = request.Clone();
        agency.EnsureMaySubmit((RecordCategory)content.Category, (RecordDomain)content.Domain);
        Normalize(content);

        // Google.Protobuf writes fields in number order with no maps involved: the bytes are
        // canonical for a given content, so their hash identifies it.
        var bytes = content.ToByteArray();
        var subject = content.Subject;
        var (kind, key) = subject.KindCase == Subject.KindOneofCase.GovernmentBody
            ? (SubjectKind.GovernmentBody, subject.GovernmentBody.CreditCode)
            : (SubjectKind.CivilServant, subject.CivilServant.ResidentId);
        var decided = Date(content.DecisionDate);
        var severity = (RecordSeverity)content.Severity;
        return new NewRecord(
            agency.Id,
            sourceRecordId,
            // The idempotency hash stays over the plaintext canonical content (encryption is randomised).
            SHA256.HashData(bytes),
            (int)kind,
            call.RecordSubjectKey(kind, key),
            subject.DivisionCode,
            (int)content.Category,
            (int)severity,
            (int)content.Domain,
            (int)content.Disclosure,
            decided,
            EffectLastDay(content),
            protector.Seal(bytes),
            content.Penalty.ArrearsFen,
            policies.Fix(severity, decided, acceptedOn));
    }

    /// <summary>The last day of the content's period of effect (<see cref="PeriodOfEffect"/>).</summary>
    public static DateOnly? EffectLastDay(RecordContent content) => PeriodOfEffect.LastDay(
        Date(content.DecisionDate),
        content.ValidityEndDate.Length > 0 ? Date(content.ValidityEndDate) : null,
        content.SanctionKind == Contracts.Records.V1.SanctionKind.Unspecified ? null : (DomainSanctionKind)content.SanctionKind);

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
    }

    /// <summary>Dates here passed validation (RecordRules), so they parse.</summary>
    private static DateOnly Date(string value) => DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
