using System.Security.Cryptography;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Records;
using CreditExchange.Server.Privacy;
using CreditExchange.Storage;
using Google.Protobuf;

namespace CreditExchange.Server.Records;

/// <summary>
/// Turns a valid submission into what the store keeps: competence checked, identifiers
/// normalised, content hashed canonically so a retry can be told from a conflict. Personal data
/// leaves here protected: the content encrypted, the subject identifier as a keyed hash.
/// </summary>
public static class RecordSubmission
{
    public static NewRecord Prepare(Agency agency, SubmitRecordRequest request, PersonalDataProtector protector)
    {
        var content = request.Record.Clone();
        agency.EnsureMaySubmit((RecordCategory)content.Category, (Domain.Records.RecordDomain)content.Domain);
        Normalize(content);

        // Google.Protobuf writes fields in number order with no maps involved: the bytes are
        // canonical for a given content, so their hash identifies it.
        var bytes = content.ToByteArray();
        var subject = content.Subject;
        var (kind, key) = subject.KindCase == Subject.KindOneofCase.GovernmentBody
            ? (SubjectKind.GovernmentBody, subject.GovernmentBody.CreditCode)
            : (SubjectKind.CivilServant, subject.CivilServant.ResidentId);
        return new NewRecord(
            agency.Id,
            request.SourceRecordId,
            // The idempotency hash stays over the plaintext canonical content (encryption is randomised).
            SHA256.HashData(bytes),
            (int)kind,
            protector.RecordSubjectKey(kind, key),
            subject.DivisionCode,
            (int)content.Category,
            (int)content.Severity,
            (int)content.Domain,
            (int)content.Disclosure,
            DateOnly.ParseExact(content.DecisionDate, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            protector.Seal(bytes),
            content.Penalty.ArrearsFen);
    }

    /// <summary>Resident IDs accept a lowercase check character x; the record keeps it upper-cased.</summary>
    public static string NormalizeResidentId(string id) => id.ToUpperInvariant();

    private static void Normalize(RecordContent content)
    {
        if (content.Subject.CivilServant is { } person)
        {
            person.ResidentId = NormalizeResidentId(person.ResidentId);
        }

        if (content.ResponsiblePerson is { } responsible)
        {
            responsible.ResidentId = NormalizeResidentId(responsible.ResidentId);
        }
    }
}
