using CreditExchange.Contracts.Records.V1;
using CreditExchange.Server.Privacy;
using DomainSubjectKind = CreditExchange.Domain.Records.SubjectKind;

namespace CreditExchange.Server.Records;

/// <summary>One place that turns a subject named in a request into what the records are stored under.</summary>
public static class RecordSubjects
{
    /// <summary>The key with a resident ID's check character upper-cased, as records hold it.</summary>
    public static SubjectKey Normalize(SubjectKey key) => key.KeyCase == SubjectKey.KeyOneofCase.ResidentId
        ? new SubjectKey { ResidentId = RecordSubmission.NormalizeResidentId(key.ResidentId) }
        : new SubjectKey { CreditCode = key.CreditCode };

    /// <summary>The stored lookup key of a subject named in a request (see <see cref="PersonalDataProtector.RecordSubjectKey"/>).</summary>
    public static string StoredKey(this PersonalDataProtector protector, SubjectKey key) => key.KeyCase == SubjectKey.KeyOneofCase.ResidentId
        ? protector.RecordSubjectKey(DomainSubjectKind.CivilServant, RecordSubmission.NormalizeResidentId(key.ResidentId))
        : protector.RecordSubjectKey(DomainSubjectKind.GovernmentBody, key.CreditCode);
}
