using System.Globalization;
using CreditExchange.Domain.Records;

namespace CreditExchange.Domain.Statistics;

// The numbers are the contract's enum numbers (creditexchange.statistics.v1), so mapping is a cast.

public enum RegionLevel
{
    County = 1,
    Prefecture = 2,
    Region = 3,
    Township = 4,
}

public enum StatisticsDimension
{
    Region = 1,
    Agency = 2,
    Category = 3,
    Severity = 4,
    Period = 5,
}

public enum PeriodLength
{
    Year = 1,
    Month = 2,
}

/// <summary>
/// GB/T 10114 and GB/T 2260 roll-up: township (150102001) → county (150102) → prefecture, league or
/// city (150100) → region (150000). A six-digit code stays itself at township level.
/// </summary>
public static class DivisionRollup
{
    public static string ToLevel(string divisionCode, RegionLevel level) => level switch
    {
        RegionLevel.Township => divisionCode,
        RegionLevel.County => divisionCode.Length > 6 ? divisionCode[..6] : divisionCode,
        RegionLevel.Prefecture => string.Concat(divisionCode.AsSpan(0, 4), "00"),
        RegionLevel.Region => string.Concat(divisionCode.AsSpan(0, 2), "0000"),
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown region level."),
    };

    /// <summary>Whether <paramref name="divisionCode"/> lies in the region <paramref name="scope"/> (any level: 150000, 150100 or 150102).</summary>
    public static bool LiesIn(string divisionCode, string scope) => ScopePrefix(scope) is var prefix && divisionCode.StartsWith(prefix, StringComparison.Ordinal);

    /// <summary>
    /// The prefix every division code inside <paramref name="scope"/> starts with: "15" for 150000,
    /// "1501" for 150100, "150102" for 150102 (its townships included), a township's own nine digits.
    /// </summary>
    public static string ScopePrefix(string scope) =>
        scope.Length > 6 ? scope
        : scope.EndsWith("0000", StringComparison.Ordinal) ? scope[..2]
        : scope.EndsWith("00", StringComparison.Ordinal) ? scope[..4]
        : scope;
}

/// <summary>
/// Arrears (seed clause 三(五)) summed over records, in fen, from every domain and category that
/// carries them: what they find (a record's typed owed amounts, or its untyped Penalty.arrears_fen),
/// of which project payments and migrant workers' wages, what was paid since, and how many records.
/// </summary>
public readonly record struct ArrearsSums(long Owed, long ProjectPayments, long MigrantWorkersWages, long Paid, long Records)
{
    /// <summary>What is still owed.</summary>
    public long Outstanding => Owed - Paid;

    public static ArrearsSums operator +(ArrearsSums a, ArrearsSums b) => new(
        a.Owed + b.Owed, a.ProjectPayments + b.ProjectPayments, a.MigrantWorkersWages + b.MigrantWorkersWages, a.Paid + b.Paid, a.Records + b.Records);

    public static ArrearsSums Sum(IEnumerable<ArrearsSums> sums) => sums.Aggregate(default(ArrearsSums), (a, b) => a + b);
}

/// <summary>
/// The finest grain the store aggregates to in one query: records counted per division code,
/// agency, category, severity, domain and month. Every roll-up is computed from these cells.
/// </summary>
public sealed record StatisticsCell(
    string DivisionCode,
    string AgencyId,
    RecordCategory Category,
    RecordSeverity Severity,
    RecordDomain Domain,
    int Year,
    int Month,
    long RecordCount,
    ArrearsSums Arrears);

/// <summary>The key of a group; a dimension not grouped by is null.</summary>
public sealed record GroupKey(string? Region, string? AgencyId, RecordCategory? Category, RecordSeverity? Severity, string? Period);

/// <param name="Arrears">Arrears of the group's records, whatever their domain.</param>
public sealed record StatisticsGroup(GroupKey Key, long RecordCount, ArrearsSums Arrears, long GovernmentDebtRecordCount);

public static class StatisticsAggregator
{
    /// <summary>Rolls cells up to the requested dimensions; groups ordered by region, agency, category, severity, period.</summary>
    public static IReadOnlyList<StatisticsGroup> Aggregate(
        IEnumerable<StatisticsCell> cells, IReadOnlySet<StatisticsDimension> by, RegionLevel regionLevel, PeriodLength period) =>
        cells
            .GroupBy(c => new GroupKey(
                by.Contains(StatisticsDimension.Region) ? DivisionRollup.ToLevel(c.DivisionCode, regionLevel) : null,
                by.Contains(StatisticsDimension.Agency) ? c.AgencyId : null,
                by.Contains(StatisticsDimension.Category) ? c.Category : null,
                by.Contains(StatisticsDimension.Severity) ? c.Severity : null,
                by.Contains(StatisticsDimension.Period) ? PeriodLabel(c.Year, c.Month, period) : null))
            .Select(g => new StatisticsGroup(
                g.Key,
                g.Sum(c => c.RecordCount),
                ArrearsSums.Sum(g.Select(c => c.Arrears)),
                g.Where(c => c.Domain == RecordDomain.GovernmentDebt).Sum(c => c.RecordCount)))
            .OrderBy(g => g.Key.Region, StringComparer.Ordinal)
            .ThenBy(g => g.Key.AgencyId, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Category)
            .ThenBy(g => g.Key.Severity)
            .ThenBy(g => g.Key.Period, StringComparer.Ordinal)
            .ToList();

    public static string PeriodLabel(int year, int month, PeriodLength period) => period == PeriodLength.Month
        ? string.Create(CultureInfo.InvariantCulture, $"{year:D4}-{month:D2}")
        : year.ToString("D4", CultureInfo.InvariantCulture);
}
