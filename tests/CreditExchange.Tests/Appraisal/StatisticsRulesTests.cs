using CreditExchange.Domain.Records;
using CreditExchange.Domain.Statistics;

namespace CreditExchange.Tests.Appraisal;

/// <summary>Roll-ups and warning thresholds as plain domain code.</summary>
public sealed class StatisticsRulesTests
{
    [Theory]
    [InlineData("150102", RegionLevel.County, "150102")]
    [InlineData("150102", RegionLevel.Prefecture, "150100")]
    [InlineData("152201", RegionLevel.Prefecture, "152200")]
    [InlineData("152201", RegionLevel.Region, "150000")]
    [InlineData("150100", RegionLevel.Prefecture, "150100")]
    public void DivisionRollup_ToLevel(string code, RegionLevel level, string expected) =>
        Assert.Equal(expected, DivisionRollup.ToLevel(code, level));

    [Theory]
    [InlineData("150000", "15")]
    [InlineData("150100", "1501")]
    [InlineData("152200", "1522")]
    [InlineData("150102", "150102")]
    public void DivisionRollup_ScopePrefix(string scope, string prefix) => Assert.Equal(prefix, DivisionRollup.ScopePrefix(scope));

    [Fact]
    public void Aggregate_ByRegionAndPeriod_SumsCellsAndCountsArrearsOfGovernmentDebtOnly()
    {
        StatisticsCell[] cells =
        [
            new("150102", "court", RecordCategory.JudicialJudgment, RecordSeverity.General, RecordDomain.Other, 2025, 3, 2, 500),
            new("150103", "finance", RecordCategory.BreachOfCommitment, RecordSeverity.Serious, RecordDomain.GovernmentDebt, 2025, 4, 3, 7000),
            new("150203", "court", RecordCategory.JudicialJudgment, RecordSeverity.Minor, RecordDomain.Other, 2024, 12, 1, 0),
        ];

        var groups = StatisticsAggregator.Aggregate(cells, new HashSet<StatisticsDimension> { StatisticsDimension.Region, StatisticsDimension.Period }, RegionLevel.Prefecture, PeriodLength.Year);
        var total = Assert.Single(StatisticsAggregator.Aggregate(cells, new HashSet<StatisticsDimension>(), RegionLevel.Prefecture, PeriodLength.Year));

        Assert.Equal(
            [("150100", "2025", 5L, 7000L, 3L), ("150200", "2024", 1L, 0L, 0L)],
            groups.Select(g => (g.Key.Region!, g.Key.Period!, g.RecordCount, g.ArrearsFen, g.GovernmentDebtRecordCount)));
        Assert.Equal(6, total.RecordCount);
        Assert.Equal(7000, total.ArrearsFen);
        Assert.Null(total.Key.Region);
    }

    [Fact]
    public void Reached_AtThresholdFiresOneBelowDoesNotZeroDisables()
    {
        var thresholds = new WarningThresholds(RecordCount: 3, SeriousCount: 2, ArrearsFen: 0);

        Assert.Equal([WarningReason.RecordCount], WarningRules.Reached(new Tally("a", 3, 1, 1_000_000), thresholds));
        Assert.Empty(WarningRules.Reached(new Tally("b", 2, 1, long.MaxValue), thresholds));
        Assert.Equal([WarningReason.RecordCount, WarningReason.SeriousCount], WarningRules.Reached(new Tally("c", 4, 2, 0), thresholds));
    }
}
