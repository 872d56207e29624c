using CreditExchange.Domain.Evaluation;
using CreditExchange.Domain.Records;
using CreditExchange.Domain.Statistics;
using CreditExchange.Server.Settings;

namespace CreditExchange.Server.Evaluation;

/// <summary>
/// Reads the evaluation standards from integrity-standards.json beside appsettings.json (data shipped with the hub,
/// versioned inside; the last entry is the latest). Unknown properties, kinds, categories or severities, weights not
/// summing to 100 or grade bands out of order refuse the start instead of being ignored.
/// </summary>
public static class IntegrityStandardsFile
{
    public const string FileName = "integrity-standards.json";

    public static IntegrityStandardBook Load(string path) => ShippedDataFile.Load<FileDto, IntegrityStandardBook>(
        path, FileName, "integrity evaluation standards", file => new IntegrityStandardBook(file.Standards.Select(ToDomain)));

    private static IntegrityStandard ToDomain(StandardDto dto) => new(
        dto.Version,
        dto.Source,
        dto.PeriodKind,
        dto.Indicators.Select(i => new IndicatorDefinition(i.Code, i.Name, i.Kind, i.Weight, i.Threshold, i.Categories.ToHashSet(), i.Severities.ToHashSet())).ToList(),
        dto.Grades.Select(g => new GradeBand(g.Grade, g.MinimumHundredths)).ToList(),
        Thresholds(dto.Warnings.Region),
        Thresholds(dto.Warnings.GovernmentBody));

    private static WarningThresholds Thresholds(ThresholdDto t) => new(t.RecordCount, t.SeriousCount, t.ArrearsFen);

    private sealed class FileDto
    {
        public List<StandardDto> Standards { get; set; } = [];
    }

    private sealed class StandardDto
    {
        public required string Version { get; set; }

        public required string Source { get; set; }

        public EvaluationPeriodKind PeriodKind { get; set; } = EvaluationPeriodKind.Year;

        public List<IndicatorDto> Indicators { get; set; } = [];

        public List<GradeDto> Grades { get; set; } = [];

        public required WarningsDto Warnings { get; set; }
    }

    private sealed class IndicatorDto
    {
        public required string Code { get; set; }

        public required string Name { get; set; }

        public IndicatorKind Kind { get; set; }

        public int Weight { get; set; }

        public long Threshold { get; set; }

        public List<RecordCategory> Categories { get; set; } = [];

        public List<RecordSeverity> Severities { get; set; } = [];
    }

    private sealed class GradeDto
    {
        public required string Grade { get; set; }

        public int MinimumHundredths { get; set; }
    }

    private sealed class WarningsDto
    {
        public required ThresholdDto Region { get; set; }

        public required ThresholdDto GovernmentBody { get; set; }
    }

    private sealed class ThresholdDto
    {
        public long RecordCount { get; set; }

        public long SeriousCount { get; set; }

        public long ArrearsFen { get; set; }
    }
}
