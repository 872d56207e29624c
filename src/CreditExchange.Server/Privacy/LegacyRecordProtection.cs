using CreditExchange.Storage;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Server.Privacy;

/// <summary>
/// Brings civil-servant records written before personal data was protected up to date at
/// start-up: content in clear is encrypted and the clear resident ID replaced by its keyed hash
/// (64 hex characters; a clear resident ID has 18). Government bodies' credit codes stay as they
/// are (see PersonalDataProtector.RecordSubjectKey). Idempotent and done in batches.
/// </summary>
public static class LegacyRecordProtection
{
    private const int BatchSize = 500;
    private const int HashedKeyLength = 64;

    public static async Task ProtectLegacyRecordsAsync(this WebApplication app, CancellationToken ct = default)
    {
        var protector = app.Services.GetRequiredService<PersonalDataProtector>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CreditExchange.Privacy");
        var done = 0;
        while (true)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CreditDbContext>();
            var rows = await db.Records
                .Where(r => r.SubjectKind == (int)Domain.Records.SubjectKind.CivilServant && r.SubjectKey.Length != HashedKeyLength)
                .OrderBy(r => r.Sequence)
                .Take(BatchSize)
                .ToListAsync(ct);
            if (rows.Count == 0)
            {
                return;
            }

            foreach (var row in rows)
            {
                if (PersonalDataProtector.KeyIdOf(row.Content) is null)
                {
                    row.Content = protector.Seal(row.Content);
                }

                row.SubjectKey = protector.SubjectKey(row.SubjectKey);
            }

            await db.SaveChangesAsync(ct);
            done += rows.Count;
            Log.LegacyRecordsProtected(logger, done);
        }
    }
}
