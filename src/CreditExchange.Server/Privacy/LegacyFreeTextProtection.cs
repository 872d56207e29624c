using CreditExchange.Server.Database;

namespace CreditExchange.Server.Privacy;

/// <summary>
/// Seals at start-up the free text that an earlier hub stored in clear: objection grounds and
/// answers, version reasons, repair evidence, commitments and decisions, appraisal case references
/// and audit purposes. Idempotent and done in batches; audit entries stay verifiable, since their
/// chain covers the purpose in clear.
/// </summary>
public static class LegacyFreeTextProtection
{
    private const string Prefix = PersonalDataProtector.SealedTextPrefix;

    public static async Task ProtectLegacyFreeTextAsync(this WebApplication app, CancellationToken ct = default)
    {
        var protector = app.Services.GetRequiredService<PersonalDataProtector>();
        string? Seal(string? value) => string.IsNullOrEmpty(value) || PersonalDataProtector.IsSealedText(value) ? value : protector.SealText(value);

        await StartupBackfill.InBatchesAsync(app.Services, db => db.Objections.Where(o => (o.Grounds != "" && !o.Grounds.StartsWith(Prefix)) || (o.Answer != null && o.Answer != "" && !o.Answer.StartsWith(Prefix))).OrderBy(o => o.Sequence),
            o => { o.Grounds = Seal(o.Grounds)!; o.Answer = Seal(o.Answer); }, ct);
        await StartupBackfill.InBatchesAsync(app.Services, db => db.RepairApplications.Where(r =>
                (r.ObligationsEvidence != "" && !r.ObligationsEvidence.StartsWith(Prefix))
                || (r.CreditCommitment != "" && !r.CreditCommitment.StartsWith(Prefix))
                || (r.DecisionReason != null && r.DecisionReason != "" && !r.DecisionReason.StartsWith(Prefix))).OrderBy(r => r.Sequence),
            r => { r.ObligationsEvidence = Seal(r.ObligationsEvidence)!; r.CreditCommitment = Seal(r.CreditCommitment)!; r.DecisionReason = Seal(r.DecisionReason); }, ct);
        await StartupBackfill.InBatchesAsync(app.Services, db => db.RecordVersions.Where(v => v.Reason != "" && !v.Reason.StartsWith(Prefix)).OrderBy(v => v.RecordId).ThenBy(v => v.Version),
            v => v.Reason = Seal(v.Reason)!, ct);
        await StartupBackfill.InBatchesAsync(app.Services, db => db.AppraisalChecks.Where(c => c.CaseReference != "" && !c.CaseReference.StartsWith(Prefix)).OrderBy(c => c.Id),
            c => c.CaseReference = Seal(c.CaseReference)!, ct);
        await StartupBackfill.InBatchesAsync(app.Services, db => db.AuditEntries.Where(e => e.Purpose != null && e.Purpose != "" && !e.Purpose.StartsWith(Prefix)).OrderBy(e => e.Sequence),
            e => e.Purpose = Seal(e.Purpose), ct);
    }
}
