using CreditExchange.Contracts.Records.V1;
using CreditExchange.Server.Database;
using CreditExchange.Server.Privacy;

namespace CreditExchange.Server.Records;

/// <summary>
/// Fixes at start-up the period of effect of records accepted before the hub kept it: the
/// migration that added the column marks them with 0001-01-01, and each is read once to set the
/// period its content implies (RecordIntakeRules.EffectLastDay). Likewise the derived columns (project
/// code, named persons, typed arrears) of records written before them.
/// </summary>
public static class RecordEffectBackfill
{
    public static Task<int> BackfillDerivedColumnsAsync(this WebApplication app, CancellationToken ct = default)
    {
        var protector = app.Services.GetRequiredService<PersonalDataProtector>();
        return StartupBackfill.InBatchesAsync(
            app.Services,
            db => db.Records.Where(r => r.DerivedColumnsVersion < Storage.Entities.RecordEntity.CurrentDerivedColumnsVersion).OrderBy(r => r.Sequence),
            row => RecordIntake.BackfillDerivedColumns(row, protector),
            ct);
    }

    public static Task<int> BackfillPeriodsOfEffectAsync(this WebApplication app, CancellationToken ct = default)
    {
        var protector = app.Services.GetRequiredService<PersonalDataProtector>();
        var rules = app.Services.GetRequiredService<Domain.Intake.RecordIntakeRules>();
        return StartupBackfill.InBatchesAsync(
            app.Services,
            db => db.Records.Where(r => r.EffectLastDay == DateOnly.MinValue).OrderBy(r => r.Sequence),
            row => row.EffectLastDay = rules.EffectLastDay(RecordIntake.Facts(RecordContent.Parser.ParseFrom(protector.Open(row.Content)))),
            ct);
    }
}
