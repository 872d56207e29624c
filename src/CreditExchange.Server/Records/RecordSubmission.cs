using System.Security.Cryptography;
using CreditExchange.Contracts.Records.V1;
using CreditExchange.Domain.Agencies;
using CreditExchange.Domain.Records;
using CreditExchange.Storage;
using Google.Protobuf;

namespace CreditExchange.Server.Records;

/// <summary>
/// Turns a valid submission into what the store keeps: competence checked, identifiers
/// normalised, content hashed canonically so a retry can be told from a conflict.
/// </summary>
public static class RecordSubmission
{
    public static NewRecord Prepare(Agency agency, SubmitRecordRequest request)
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
            SHA256.HashData(bytes),
            (int)kind,
            key,
            subject.DivisionCode,
            (int)content.Category,
            (int)content.Severity,
            (int)content.Domain,
            (int)content.Disclosure,
            DateOnly.ParseExact(content.DecisionDate, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            bytes,
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
