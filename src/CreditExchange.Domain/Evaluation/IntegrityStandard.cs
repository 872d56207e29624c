using System.Globalization;
using CreditExchange.Domain.Errors;
using CreditExchange.Domain.Records;
using CreditExchange.Domain.Statistics;

namespace CreditExchange.Domain.Evaluation;

/// <summary>What an indicator measures (seed clauses 四(一), 三(五)).</summary>
public enum IndicatorKind
{
    /// <summary>Records decided in the period and in force on the as-of day, optionally of some categories and severities.</summary>
    RecordsInForce = 1,

    /// <summary>Records decided in the period that were repaired (信用修复).</summary>
    Repaired = 2,

    /// <summary>Records decided in the period that were revoked (treated as never made).</summary>
    Revoked = 3,

    /// <summary>Objections and complaints about the scope's records still open past their deadline on the as-of day.</summary>
    OverdueHandlings = 4,

    /// <summary>Arrears still outstanding (fen) on the records in force.</summary>
    OutstandingArrears = 5,

    /// <summary>Debt-risk early warning: how many of the standard's warning thresholds the records in force reach (0–3).</summary>
    DebtRiskWarning = 6,
}

/// <summary>The length of an evaluation period.</summary>
public enum EvaluationPeriodKind
{
    /// <summary>A calendar year, written "YYYY".</summary>
    Year = 1,
}

/// <summary>One indicator of a standard.</summary>
/// <param name="Weight">The most points it gives; 0 shows the value without scoring it.</param>
/// <param name="Threshold">The value at and above which it gives no points (&gt; 0).</param>
/// <param name="Categories">For <see cref="IndicatorKind.RecordsInForce"/>: only these categories; empty means all.</param>
/// <param name="Severities">For <see cref="IndicatorKind.RecordsInForce"/>: only these severities; empty means all.</param>
public sealed record IndicatorDefinition(
    string Code,
    string Name,
    IndicatorKind Kind,
    int Weight,
    long Threshold,
    IReadOnlySet<RecordCategory> Categories,
    IReadOnlySet<RecordSeverity> Severities);

/// <summary>A grade and the least score (hundredths) that earns it.</summary>
public sealed record GradeBand(string Grade, int MinimumHundredths);

/// <summary>
/// A versioned evaluation standard (政务诚信评价标准, seed clause 四(一)): its indicators with weights summing to
/// 100, grade bands, the period kind, and the debt-risk warning thresholds it folds in (三(五)). Data shipped with
/// the hub, never edited in place: a change is a new version, so that an evaluation is replayable.
/// </summary>
public sealed record IntegrityStandard
{
    public IntegrityStandard(
        string version,
        string source,
        EvaluationPeriodKind periodKind,
        IReadOnlyList<IndicatorDefinition> indicators,
        IReadOnlyList<GradeBand> grades,
        WarningThresholds regionWarning,
        WarningThresholds governmentBodyWarning)
    {
        if (string.IsNullOrWhiteSpace(version) || version.Length > 64)
        {
            throw new ArgumentException("A standard needs a version of at most 64 characters.");
        }

        if (indicators.Count == 0 || indicators.Sum(i => i.Weight) != 100)
        {
            throw new ArgumentException($"The weights of standard {version} must sum to 100, not {indicators.Sum(i => i.Weight)}.");
        }

        if (indicators.Select(i => i.Code).Distinct(StringComparer.Ordinal).Count() != indicators.Count)
        {
            throw new ArgumentException($"Standard {version} names an indicator code twice.");
        }

        if (indicators.FirstOrDefault(i => i.Threshold <= 0 || i.Weight < 0) is { } bad)
        {
            throw new ArgumentException($"Indicator {bad.Code} of standard {version} needs a weight ≥ 0 and a threshold > 0.");
        }

        if (grades.Count == 0 || grades[^1].MinimumHundredths != 0
            || grades.Zip(grades.Skip(1)).Any(p => p.First.MinimumHundredths <= p.Second.MinimumHundredths))
        {
            throw new ArgumentException($"The grade bands of standard {version} must be listed from the highest minimum down to a last band from 0.");
        }

        Version = version;
        Source = source;
        PeriodKind = periodKind;
        Indicators = indicators;
        Grades = grades;
        RegionWarning = regionWarning;
        GovernmentBodyWarning = governmentBodyWarning;
    }

    public string Version { get; }

    /// <summary>Where the standard comes from, e.g. "内政发〔2017〕123号 四(一)、三(五)".</summary>
    public string Source { get; }

    public EvaluationPeriodKind PeriodKind { get; }

    public IReadOnlyList<IndicatorDefinition> Indicators { get; }

    /// <summary>From the highest minimum down; the last starts at 0.</summary>
    public IReadOnlyList<GradeBand> Grades { get; }

    public WarningThresholds RegionWarning { get; }

    public WarningThresholds GovernmentBodyWarning { get; }

    /// <summary>The grade of a score.</summary>
    public string GradeOf(int scoreHundredths) => Grades.First(g => scoreHundredths >= g.MinimumHundredths).Grade;

    /// <summary>
    /// The first and last day of <paramref name="period"/> in this standard's period kind; a period of another form is
    /// refused as INVALID_ARGUMENT on the field "period".
    /// </summary>
    public (DateOnly First, DateOnly Last) PeriodDays(string period)
    {
        if (PeriodKind == EvaluationPeriodKind.Year && period.Length == 4
            && int.TryParse(period, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 1990 and <= 9998)
        {
            return (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
        }

        throw DomainException.InvalidArgument(
            ErrorReason.InvalidRequest,
            [new FieldViolation("period", $"The period must be a year, \"YYYY\", under standard {Version}, not '{period}'.", FieldViolationReason.NotAllowed)]);
    }
}

/// <summary>The shipped standards, oldest first; the last is the latest.</summary>
public sealed class IntegrityStandardBook
{
    public IntegrityStandardBook(IEnumerable<IntegrityStandard> standards)
    {
        Standards = standards.ToList();
        if (Standards.Count == 0)
        {
            throw new ArgumentException("At least one evaluation standard must be shipped.");
        }

        if (Standards.Select(s => s.Version).Distinct(StringComparer.Ordinal).Count() != Standards.Count)
        {
            throw new ArgumentException("Two evaluation standards share a version.");
        }
    }

    public IReadOnlyList<IntegrityStandard> Standards { get; }

    /// <summary>The standard of <paramref name="version"/>, or the latest when empty; NOT_FOUND when none is shipped under it.</summary>
    public IntegrityStandard Find(string? version) =>
        string.IsNullOrEmpty(version)
            ? Standards[^1]
            : Standards.FirstOrDefault(s => s.Version == version)
              ?? throw new DomainException(ErrorKind.NotFound, ErrorReason.EvaluationStandardNotFound, $"No evaluation standard of version '{version}' is shipped; shipped: {string.Join(", ", Standards.Select(s => s.Version))}.");
}
