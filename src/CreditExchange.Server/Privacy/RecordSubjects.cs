using CreditExchange.Contracts.Records.V1;
using DomainSubjectKind = CreditExchange.Domain.Records.SubjectKind;

namespace CreditExchange.Server.Privacy;

/// <summary>One place that turns a subject named in a request into what the records are stored under.</summary>
public static class RecordSubjects
{
    /// <summary>Resident IDs accept a lowercase check character x; records keep it upper-cased.</summary>
    public static string NormalizeResidentId(string id) => id.ToUpperInvariant();

    /// <summary>The key with a resident ID's check character upper-cased, as records hold it.</summary>
    public static SubjectKey Normalize(SubjectKey key) => key.KeyCase == SubjectKey.KeyOneofCase.ResidentId
        ? new SubjectKey { ResidentId = Identifier(key) }
        : new SubjectKey { CreditCode = key.CreditCode };

    /// <summary>The key's identifier as records hold it (resident ID upper-cased); empty when the key names none.</summary>
    public static string Identifier(SubjectKey key) => key.KeyCase switch
    {
        SubjectKey.KeyOneofCase.ResidentId => NormalizeResidentId(key.ResidentId),
        SubjectKey.KeyOneofCase.CreditCode => key.CreditCode,
        _ => "",
    };

    /// <summary>The stored lookup key of a subject named in a request (see <see cref="PersonalDataProtector.RecordSubjectKey(DomainSubjectKind, string)"/>).</summary>
    public static string StoredKey(this PersonalDataProtector protector, SubjectKey key) => protector.RecordSubjectKey(Kind(key), Identifier(key));

    /// <summary>The kind of subject a key names.</summary>
    public static DomainSubjectKind Kind(SubjectKey key) =>
        key.KeyCase == SubjectKey.KeyOneofCase.ResidentId ? DomainSubjectKind.CivilServant : DomainSubjectKind.GovernmentBody;
}
