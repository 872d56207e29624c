using CreditExchange.Domain.Records;

namespace CreditExchange.Domain.Statistics;

public enum WarningTarget
{
    GovernmentBody = 1,
    Region = 2,
}

public enum WarningReason
{
    RecordCount = 1,
    SeriousCount = 2,
    Arrears = 3,
}

/// <summary>Warning thresholds (seed clauses 三(五), 四(三)); a value is reached at or above it, 0 disables it. Arrears compare what is still outstanding.</summary>
public sealed record WarningThresholds(long RecordCount, long SeriousCount, long ArrearsFen);

/// <summary>What a government body or region has against it in a period; arrears of every domain.</summary>
public sealed record Tally(string Key, long RecordCount, long SeriousCount, ArrearsSums Arrears);

public sealed record Warning(WarningTarget Target, Tally Tally, IReadOnlyList<WarningReason> Reasons);

public static class WarningRules
{
    /// <summary>The thresholds a tally reaches; empty when none.</summary>
    public static IReadOnlyList<WarningReason> Reached(Tally tally, WarningThresholds thresholds)
    {
        var reasons = new List<WarningReason>();
        if (thresholds.RecordCount > 0 && tally.RecordCount >= thresholds.RecordCount)
        {
            reasons.Add(WarningReason.RecordCount);
        }

        if (thresholds.SeriousCount > 0 && tally.SeriousCount >= thresholds.SeriousCount)
        {
            reasons.Add(WarningReason.SeriousCount);
        }

        // Risk is what is still owed: arrears settled since no longer warn.
        if (thresholds.ArrearsFen > 0 && tally.Arrears.Outstanding >= thresholds.ArrearsFen)
        {
            reasons.Add(WarningReason.Arrears);
        }

        return reasons;
    }

    /// <summary>Tallies regions from statistics cells, rolled up to <paramref name="level"/>.</summary>
    public static IEnumerable<Tally> RegionTallies(IEnumerable<StatisticsCell> cells, RegionLevel level) =>
        cells.GroupBy(c => DivisionRollup.ToLevel(c.DivisionCode, level), StringComparer.Ordinal)
            .Select(g => new Tally(
                g.Key,
                g.Sum(c => c.RecordCount),
                g.Where(c => c.Severity == RecordSeverity.Serious).Sum(c => c.RecordCount),
                ArrearsSums.Sum(g.Select(c => c.Arrears))));

    /// <summary>Warnings for every tally that reaches a threshold, by descending record count, then key.</summary>
    public static IEnumerable<Warning> Evaluate(WarningTarget target, IEnumerable<Tally> tallies, WarningThresholds thresholds) =>
        tallies
            .Select(t => new Warning(target, t, Reached(t, thresholds)))
            .Where(w => w.Reasons.Count > 0)
            .OrderByDescending(w => w.Tally.RecordCount)
            .ThenBy(w => w.Tally.Key, StringComparer.Ordinal);
}
