using CreditExchange.Domain.Records;

namespace CreditExchange.Domain.Statistics;

/// <summary>One cell of the open figures: public records of a region (league or city), domain, category and month.</summary>
public sealed record OpenCell(string Region, RecordDomain Domain, RecordCategory Category, string Month, long Count);

/// <summary>A cell as published: its count, or null when suppressed.</summary>
public sealed record PublishedCell(OpenCell Cell, bool Suppressed)
{
    public long? Count => Suppressed ? null : Cell.Count;
}

/// <summary>A region's total as published: null when suppressed.</summary>
public sealed record PublishedTotal(string Region, long Total, bool Suppressed)
{
    public long? Count => Suppressed ? null : Total;
}

public sealed record SuppressedTable(IReadOnlyList<PublishedCell> Cells, IReadOnlyList<PublishedTotal> RegionTotals);

/// <summary>
/// Small-cell suppression of the open figures (seed clause 四(三); docs/open-data.md), with a minimum count k:
/// <list type="number">
/// <item>primary: a cell with 1 to k−1 records is suppressed (its count withheld and the cell marked);</item>
/// <item>a region total under k is suppressed (then every cell of the region is, being smaller);</item>
/// <item>complementary: in a region whose total is shown, a suppressed cell is never alone — when exactly one is,
/// the smallest shown cell of the region is suppressed too, so that the total less the shown cells gives a sum of at
/// least two cells, never one cell's count;</item>
/// <item>no grand total or other margin is published, so a suppressed region total cannot be recovered from one.</item>
/// </list>
/// Cells without records are not listed. Deterministic: ties are broken by the cells' keys.
/// </summary>
public static class SmallCellSuppression
{
    public static SuppressedTable Apply(IEnumerable<OpenCell> cells, int minimum)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimum, 2);
        var ordered = cells.Where(c => c.Count > 0)
            .OrderBy(c => c.Region, StringComparer.Ordinal).ThenBy(c => c.Domain).ThenBy(c => c.Category).ThenBy(c => c.Month, StringComparer.Ordinal)
            .ToList();
        var suppressed = ordered.Where(c => c.Count < minimum).ToHashSet();
        var totals = new List<PublishedTotal>();
        foreach (var region in ordered.GroupBy(c => c.Region, StringComparer.Ordinal))
        {
            var total = region.Sum(c => c.Count);
            var totalSuppressed = total < minimum;
            totals.Add(new PublishedTotal(region.Key, total, totalSuppressed));
            if (!totalSuppressed && region.Count(suppressed.Contains) == 1)
            {
                var partner = region.Where(c => !suppressed.Contains(c)).OrderBy(c => c.Count).First();
                suppressed.Add(partner);
            }
        }

        return new SuppressedTable(ordered.Select(c => new PublishedCell(c, suppressed.Contains(c))).ToList(), totals);
    }
}
