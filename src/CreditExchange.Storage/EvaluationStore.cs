using CreditExchange.Domain.Evaluation;
using CreditExchange.Domain.Records;
using CreditExchange.Domain.Statistics;
using CreditExchange.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Storage;

/// <summary>Reads the facts an integrity evaluation is computed from, and keeps published evaluations.</summary>
public sealed class EvaluationStore(CreditDbContext db, UnitOfWork unit)
{
    /// <summary>
    /// Every record of the target decided in [<paramref name="first"/>, <paramref name="last"/>], whatever its status (the
    /// domain's standing decides what counts), with what its standing is decided from.
    /// </summary>
    public async Task<IReadOnlyList<EvaluatedRecord>> RecordsAsync(EvaluationTarget target, DateOnly first, DateOnly last, CancellationToken ct)
    {
        var rows = await Scope(target).Where(r => r.DecisionDate >= first && r.DecisionDate <= last)
            .Select(r => new
            {
                r.Id, r.Sequence, r.Category, r.Severity, r.Status, r.DecisionDate, r.EffectLastDay, r.Disclosure, r.DisclosureMaximumEnd,
                Outstanding = r.ArrearsFen - r.ArrearsPaidFen,
            })
            .ToListAsync(ct);
        return rows.Select(r => new EvaluatedRecord(
            r.Id, r.Sequence, (RecordCategory)r.Category, (RecordSeverity)r.Severity,
            new StandingFacts((RecordStatus)r.Status, r.DecisionDate, r.EffectLastDay, (RecordDisclosure)r.Disclosure, r.DisclosureMaximumEnd),
            r.Outstanding)).ToList();
    }

    /// <summary>The objections and complaints about any record of the target that are overdue on <paramref name="asOf"/> (OverdueQueries).</summary>
    public async Task<IReadOnlyList<OverdueHandling>> OverdueAsync(EvaluationTarget target, DateOnly asOf, CancellationToken ct)
    {
        var records = Scope(target);
        var objections = await db.Objections.AsNoTracking().Where(OverdueQueries.Objections(asOf))
            .Join(records, o => o.RecordId, r => r.Id, (o, r) => new { r.Id, r.Sequence }).ToListAsync(ct);
        var complaints = await db.Complaints.AsNoTracking().Where(OverdueQueries.Complaints(asOf))
            .Join(records, c => c.RecordId, r => r.Id, (c, r) => new { r.Id, r.Sequence }).ToListAsync(ct);
        return objections.Concat(complaints).Select(h => new OverdueHandling(h.Id, h.Sequence)).ToList();
    }

    /// <summary>The distinct division codes of subjects with records under <paramref name="prefix"/> (for rankings).</summary>
    public Task<List<string>> DivisionCodesAsync(string prefix, CancellationToken ct) =>
        db.Records.AsNoTracking().Where(r => r.DivisionCode.StartsWith(prefix)).Select(r => r.DivisionCode).Distinct().ToListAsync(ct);

    public Task<PublishedEvaluationEntity?> PublishedAsync(EvaluationTarget target, string period, string version, CancellationToken ct) =>
        db.PublishedEvaluations.AsNoTracking().SingleOrDefaultAsync(
            e => e.TargetKind == (int)target.Kind && e.TargetKey == target.Key && e.Period == period && e.StandardVersion == version, ct);

    /// <summary>The published evaluations of regions under <paramref name="prefix"/> for a period and version.</summary>
    public Task<List<PublishedEvaluationEntity>> PublishedRegionsAsync(string prefix, string period, string version, CancellationToken ct) =>
        db.PublishedEvaluations.AsNoTracking()
            .Where(e => e.TargetKind == (int)EvaluationTargetKind.Region && e.TargetKey.StartsWith(prefix) && e.Period == period && e.StandardVersion == version)
            .ToListAsync(ct);

    /// <summary>Every published evaluation, oldest first (the open figures).</summary>
    public Task<List<PublishedEvaluationEntity>> AllPublishedAsync(CancellationToken ct) =>
        db.PublishedEvaluations.AsNoTracking().OrderBy(e => e.PublishedAt).ThenBy(e => e.TargetKey).ToListAsync(ct);

    /// <summary>
    /// Keeps <paramref name="evaluation"/> with the call's audit entry; when another call published the same scope, period
    /// and version first, returns that one and false.
    /// </summary>
    public async Task<(PublishedEvaluationEntity Row, bool Added)> PublishAsync(PublishedEvaluationEntity evaluation, CancellationToken ct)
    {
        var target = new EvaluationTarget((EvaluationTargetKind)evaluation.TargetKind, evaluation.TargetKey);
        if (await PublishedAsync(target, evaluation.Period, evaluation.StandardVersion, ct) is { } existing)
        {
            return (existing, false);
        }

        db.PublishedEvaluations.Add(evaluation);
        try
        {
            await unit.SaveAsync(ct);
            return (evaluation, true);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (await PublishedAsync(target, evaluation.Period, evaluation.StandardVersion, ct) is { } first)
            {
                return (first, false);
            }

            throw;
        }
    }

    private IQueryable<RecordEntity> Scope(EvaluationTarget target)
    {
        var records = db.Records.AsNoTracking();
        if (target.Kind == EvaluationTargetKind.GovernmentBody)
        {
            return records.Where(r => r.SubjectKind == (int)SubjectKind.GovernmentBody && r.SubjectKey == target.Key);
        }

        var prefix = DivisionRollup.ScopePrefix(target.Key);
        return records.Where(r => r.DivisionCode.StartsWith(prefix));
    }
}
