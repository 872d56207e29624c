using CreditExchange.Domain.Records;
using CreditExchange.Domain.Statistics;
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
        var rows = await Filter(q)
            .GroupBy(r => new { r.DivisionCode, r.AgencyId, r.Category, r.Severity, r.Domain, r.DecisionDate.Year, r.DecisionDate.Month })
            .Select(g => new
            {
                g.Key,
                Count = g.LongCount(),
                Owed = g.Sum(r => r.ArrearsFen),
                Project = g.Sum(r => r.ProjectArrearsFen),
                Wages = g.Sum(r => r.WageArrearsFen),
                Paid = g.Sum(r => r.ArrearsPaidFen),
                WithArrears = g.LongCount(r => r.ArrearsFen > 0),
            })
            .ToListAsync(ct);
        return rows.Select(r => new StatisticsCell(
            r.Key.DivisionCode, r.Key.AgencyId, (RecordCategory)r.Key.Category, (RecordSeverity)r.Key.Severity, (RecordDomain)r.Key.Domain,
            r.Key.Year, r.Key.Month, r.Count, new ArrearsSums(r.Owed, r.Project, r.Wages, r.Paid, r.WithArrears))).ToList();
    }

    /// <summary>Per government body: records, serious records and arrears (every domain), in one query.</summary>
    public async Task<IReadOnlyList<Tally>> GovernmentBodyTalliesAsync(StatisticsQuery q, CancellationToken ct)
    {
        var rows = await Filter(q)
            .Where(r => r.SubjectKind == (int)SubjectKind.GovernmentBody)
            .GroupBy(r => new { r.SubjectKey, r.Severity })
            .Select(g => new
            {
                g.Key,
                Count = g.LongCount(),
                Owed = g.Sum(r => r.ArrearsFen),
                Project = g.Sum(r => r.ProjectArrearsFen),
                Wages = g.Sum(r => r.WageArrearsFen),
                Paid = g.Sum(r => r.ArrearsPaidFen),
                WithArrears = g.LongCount(r => r.ArrearsFen > 0),
            })
            .ToListAsync(ct);
        return rows.GroupBy(r => r.Key.SubjectKey, StringComparer.Ordinal)
            .Select(g => new Tally(
                g.Key,
                g.Sum(r => r.Count),
                g.Where(r => r.Key.Severity == (int)RecordSeverity.Serious).Sum(r => r.Count),
                ArrearsSums.Sum(g.Select(r => new ArrearsSums(r.Owed, r.Project, r.Wages, r.Paid, r.WithArrears)))))
            .ToList();
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
