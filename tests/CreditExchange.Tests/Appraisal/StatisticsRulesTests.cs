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
    public void Aggregate_ByRegionAndPeriod_SumsCellsAndArrearsOfEveryDomain()
    {
        StatisticsCell[] cells =
        [
            new("150102", "court", RecordCategory.JudicialJudgment, RecordSeverity.General, RecordDomain.Ppp, 2025, 3, 2, new ArrearsSums(500, 300, 200, 100, 1)),
            new("150103", "finance", RecordCategory.BreachOfCommitment, RecordSeverity.Serious, RecordDomain.GovernmentDebt, 2025, 4, 3, new ArrearsSums(7000, 0, 0, 0, 3)),
            new("150203", "court", RecordCategory.JudicialJudgment, RecordSeverity.Minor, RecordDomain.Other, 2024, 12, 1, default),
        ];

        var groups = StatisticsAggregator.Aggregate(cells, new HashSet<StatisticsDimension> { StatisticsDimension.Region, StatisticsDimension.Period }, RegionLevel.Prefecture, PeriodLength.Year);
        var total = Assert.Single(StatisticsAggregator.Aggregate(cells, new HashSet<StatisticsDimension>(), RegionLevel.Prefecture, PeriodLength.Year));

        Assert.Equal(
            [("150100", "2025", 5L, 7500L, 7400L, 3L), ("150200", "2024", 1L, 0L, 0L, 0L)],
            groups.Select(g => (g.Key.Region!, g.Key.Period!, g.RecordCount, g.Arrears.Owed, g.Arrears.Outstanding, g.GovernmentDebtRecordCount)));
        Assert.Equal(6, total.RecordCount);
        Assert.Equal(new ArrearsSums(7500, 300, 200, 100, 4), total.Arrears);
        Assert.Null(total.Key.Region);
    }

    [Theory]
    [InlineData("150102001", RegionLevel.Township, "150102001")]
    [InlineData("150102001", RegionLevel.County, "150102")]
    [InlineData("150102001", RegionLevel.Prefecture, "150100")]
    [InlineData("150102001", RegionLevel.Region, "150000")]
    [InlineData("150102", RegionLevel.Township, "150102")]
    public void DivisionRollup_Township_RollsUpThroughCounty(string code, RegionLevel level, string expected) =>
        Assert.Equal(expected, DivisionRollup.ToLevel(code, level));

    [Fact]
    public void Reached_AtThresholdFiresOneBelowDoesNotZeroDisables()
    {
        var thresholds = new WarningThresholds(RecordCount: 3, SeriousCount: 2, ArrearsFen: 0);

        Assert.Equal([WarningReason.RecordCount], WarningRules.Reached(new Tally("a", 3, 1, Owed(1_000_000)), thresholds));
        Assert.Empty(WarningRules.Reached(new Tally("b", 2, 1, Owed(long.MaxValue)), thresholds));
        Assert.Equal([WarningReason.RecordCount, WarningReason.SeriousCount], WarningRules.Reached(new Tally("c", 4, 2, default), thresholds));
    }

    [Fact]
    public void Reached_Arrears_ComparesWhatIsStillOutstanding()
    {
        var thresholds = new WarningThresholds(RecordCount: 0, SeriousCount: 0, ArrearsFen: 1000);

        Assert.Equal([WarningReason.Arrears], WarningRules.Reached(new Tally("a", 1, 0, new ArrearsSums(1500, 1500, 0, 500, 1)), thresholds));
        Assert.Empty(WarningRules.Reached(new Tally("b", 1, 0, new ArrearsSums(1500, 1500, 0, 501, 1)), thresholds));
    }

    private static ArrearsSums Owed(long fen) => new(fen, 0, 0, 0, 1);
}
