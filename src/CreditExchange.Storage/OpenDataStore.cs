using CreditExchange.Domain.Records;
using CreditExchange.Domain.Statistics;
using Microsoft.EntityFrameworkCore;

namespace CreditExchange.Storage;

/// <summary>Reads for the open figures: only records that may be published (StandingQueries.PublishableOn), counted.</summary>
public sealed class OpenDataStore(CreditDbContext db)
{
    /// <summary>Public records decided in <paramref name="year"/>, counted per league or city, domain, category and month.</summary>
    public async Task<IReadOnlyList<OpenCell>> PublicCellsAsync(int year, DateOnly asOf, CancellationToken ct)
    {
        var first = new DateOnly(year, 1, 1);
        var last = new DateOnly(year, 12, 31);
        var rows = await db.Records.AsNoTracking()
            .Where(StandingQueries.PublishableOn(asOf))
            .Where(r => r.DecisionDate >= first && r.DecisionDate <= last)
            .GroupBy(r => new { r.DivisionCode, r.Domain, r.Category, r.DecisionDate.Month })
            .Select(g => new { g.Key.DivisionCode, g.Key.Domain, g.Key.Category, g.Key.Month, Count = g.LongCount() })
            .ToListAsync(ct);
        return rows
            .GroupBy(r => (Region: DivisionRollup.ToLevel(r.DivisionCode, RegionLevel.Prefecture), r.Domain, r.Category, r.Month))
            .Select(g => new OpenCell(
                g.Key.Region, (RecordDomain)g.Key.Domain, (RecordCategory)g.Key.Category,
                StatisticsAggregator.PeriodLabel(year, g.Key.Month, PeriodLength.Month), g.Sum(r => r.Count)))
            .ToList();
    }
}
