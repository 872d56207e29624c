using CreditExchange.Server.Database;

namespace CreditExchange.Server.Privacy;

/// <summary>
/// Brings civil-servant records written before personal data was protected up to date at
/// start-up: content in clear is encrypted and the clear resident ID replaced by its keyed hash
/// (64 hex characters; a clear resident ID has 18). Government bodies' credit codes stay as they
/// are (see PersonalDataProtector.RecordSubjectKey). Idempotent and done in batches.
/// </summary>
public static class LegacyRecordProtection
{
    private const int HashedKeyLength = 64;

    public static Task<int> ProtectLegacyRecordsAsync(this WebApplication app, CancellationToken ct = default)
    {
        var protector = app.Services.GetRequiredService<PersonalDataProtector>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CreditExchange.Privacy");
        return StartupBackfill.InBatchesAsync(
            app.Services,
            db => db.Records
                .Where(r => r.SubjectKind == (int)Domain.Records.SubjectKind.CivilServant && r.SubjectKey.Length != HashedKeyLength)
                .OrderBy(r => r.Sequence),
            row =>
            {
                if (PersonalDataProtector.KeyIdOf(row.Content) is null)
                {
                    row.Content = protector.Seal(row.Content);
                }

                row.SubjectKey = protector.SubjectKey(row.SubjectKey);
            },
            ct,
            done => Log.LegacyRecordsProtected(logger, done));
    }
}
