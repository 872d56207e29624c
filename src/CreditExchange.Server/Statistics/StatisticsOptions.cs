using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace CreditExchange.Server.Statistics;

/// <summary>Settings of statistics, section "Hub:Statistics".</summary>
public sealed class StatisticsOptions
{
    public const string Section = "Hub:Statistics";

    public WarningOptions Warnings { get; set; } = new();
}

/// <summary>Early-warning thresholds (seed clauses 三(五), 四(三)), per target; a warning fires at or above a threshold.</summary>
public sealed class WarningOptions
{
    public ThresholdOptions GovernmentBody { get; set; } = new() { RecordCount = 3, SeriousCount = 1, ArrearsFen = 100_000_000 };

    public ThresholdOptions Region { get; set; } = new() { RecordCount = 20, SeriousCount = 5, ArrearsFen = 1_000_000_000 };
}

/// <summary>One target's thresholds; 0 disables a threshold.</summary>
public sealed class ThresholdOptions
{
    [Description("Records in the range (revoked and superseded records excluded) from which a warning fires; 0 disables it.")]
    [Range(0, long.MaxValue)]
    public long RecordCount { get; set; }

    [Description("Serious records in the range from which a warning fires; 0 disables it.")]
    [Range(0, long.MaxValue)]
    public long SeriousCount { get; set; }

    [Description("Arrears still outstanding in the range, any domain, in fen (100,000,000 fen = 1,000,000 yuan), from which a warning fires; 0 disables it.")]
    [Range(0, long.MaxValue)]
    public long ArrearsFen { get; set; }
}
