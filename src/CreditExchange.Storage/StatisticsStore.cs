using CreditExchange.Domain.Records;
using CreditExchange.Domain.Statistics;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Storage;

/// <summary>
/// Filters of a statistics query; <see cref="DivisionPrefix"/> limits it to one region. With no
/// <see cref="Statuses"/>, the records counted are those in force on <see cref="AsOf"/>.
/// </summary>
public sealed record StatisticsQuery(DateOnly DecisionDateFrom, DateOnly DecisionDateTo, IReadOnlyCollection<int> Statuses, string? DivisionPrefix, DateOnly AsOf);

/// <summary>Aggregating reads: the database groups, the domain rolls up.</summary>
public sealed class StatisticsStore(CreditDbContext db)
{
    /// <summary>Record counts and arrears per division code, agency, category, severity, domain and month, in one query.</summary>
    public async Task<IReadOnlyList<StatisticsCell>> CellsAsync(StatisticsQuery q, CancellationToken ct)
    {
        var rows = await SumsAsync(Filter(q), r => new { r.DivisionCode, r.AgencyId, r.Category, r.Severity, r.Domain, r.DecisionDate.Year, r.DecisionDate.Month }, ct);
        return rows.Select(r => new StatisticsCell(
            r.Key.DivisionCode, r.Key.AgencyId, (RecordCategory)r.Key.Category, (RecordSeverity)r.Key.Severity, (RecordDomain)r.Key.Domain,
            r.Key.Year, r.Key.Month, r.Count, r.Arrears)).ToList();
    }

    /// <summary>Per government body: records, serious records and arrears (every domain), in one query.</summary>
    public async Task<IReadOnlyList<Tally>> GovernmentBodyTalliesAsync(StatisticsQuery q, CancellationToken ct)
    {
        var rows = await SumsAsync(Filter(q).Where(r => r.SubjectKind == (int)SubjectKind.GovernmentBody), r => new { r.SubjectKey, r.Severity }, ct);
        return rows.GroupBy(r => r.Key.SubjectKey, StringComparer.Ordinal)
            .Select(g => new Tally(
                g.Key,
                g.Sum(r => r.Count),
                g.Where(r => r.Key.Severity == (int)RecordSeverity.Serious).Sum(r => r.Count),
                ArrearsSums.Sum(g.Select(r => r.Arrears))))
            .ToList();
    }

    /// <summary>Counts and arrears sums of the rows per <paramref name="key"/>, grouped by the database.</summary>
    private static Task<List<Sums<TKey>>> SumsAsync<TKey>(IQueryable<Entities.RecordEntity> rows, Expression<Func<Entities.RecordEntity, TKey>> key, CancellationToken ct) =>
        rows.GroupBy(key)
            .Select(g => new Sums<TKey>(
                g.Key, g.LongCount(), g.Sum(r => r.ArrearsFen), g.Sum(r => r.ProjectArrearsFen), g.Sum(r => r.WageArrearsFen), g.Sum(r => r.ArrearsPaidFen), g.LongCount(r => r.ArrearsFen > 0)))
            .ToListAsync(ct);

    private sealed record Sums<TKey>(TKey Key, long Count, long Owed, long ProjectPayments, long MigrantWorkersWages, long Paid, long WithArrears)
    {
        public ArrearsSums Arrears => new(Owed, ProjectPayments, MigrantWorkersWages, Paid, WithArrears);
    }

    private IQueryable<Entities.RecordEntity> Filter(StatisticsQuery q)
    {
        var rows = db.Records.AsNoTracking().Where(r => r.DecisionDate >= q.DecisionDateFrom && r.DecisionDate <= q.DecisionDateTo);
        rows = q.Statuses.Count > 0 ? rows.Where(r => q.Statuses.Contains(r.Status)) : rows.Where(StandingQueries.InForceOn(q.AsOf));
        if (q.DivisionPrefix is { } prefix)
        {
            rows = rows.Where(r => r.DivisionCode.StartsWith(prefix));
        }

        return rows;
    }
}
