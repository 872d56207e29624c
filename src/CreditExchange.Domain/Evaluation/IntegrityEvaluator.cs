using CreditExchange.Domain.Records;
using CreditExchange.Domain.Statistics;

namespace CreditExchange.Domain.Evaluation;

/// <summary>What an evaluation is about: a region (division code, any level) or a government body (credit code).</summary>
public enum EvaluationTargetKind
{
    Region = 1,
    GovernmentBody = 2,
}

public sealed record EvaluationTarget(EvaluationTargetKind Kind, string Key);

/// <summary>A record of the evaluated scope decided in the period, with what its standing is decided from.</summary>
/// <param name="OutstandingArrearsFen">Arrears the record finds less what was paid since (fen).</param>
public sealed record EvaluatedRecord(Guid Id, long Sequence, RecordCategory Category, RecordSeverity Severity, StandingFacts Standing, long OutstandingArrearsFen);

/// <summary>An objection or complaint about one of the scope's records that is overdue on the as-of day (Lifecycle <c>Overdue</c>).</summary>
public sealed record OverdueHandling(Guid RecordId, long RecordSequence);

public sealed record IndicatorResult(IndicatorDefinition Definition, long Value, int PointsHundredths, IReadOnlyList<Guid> RecordIds);

public sealed record EvaluationResult(
    EvaluationTarget Target,
    string Period,
    string StandardVersion,
    DateOnly AsOf,
    int ScoreHundredths,
    string Grade,
    IReadOnlyList<IndicatorResult> Indicators);

/// <summary>
/// Scores a scope for a period under a standard (seed clauses 四(一), 三(五)). Which records count is the records'
/// standing on the as-of day (<see cref="RecordStanding"/>); the result depends on nothing but the standard, the facts
/// and the as-of day, so the same data and version give the same evaluation.
/// </summary>
public static class IntegrityEvaluator
{
    /// <summary>
    /// The day whose standing decides: the period's last day, or <paramref name="today"/> while the period runs.
    /// </summary>
    public static DateOnly AsOf((DateOnly First, DateOnly Last) period, DateOnly today) => today < period.Last ? today : period.Last;

    /// <summary>Whether the period has ended on <paramref name="today"/> (only an ended period is published).</summary>
    public static bool Ended((DateOnly First, DateOnly Last) period, DateOnly today) => today > period.Last;

    public static EvaluationResult Evaluate(
        IntegrityStandard standard,
        EvaluationTarget target,
        string period,
        DateOnly asOf,
        IReadOnlyCollection<EvaluatedRecord> records,
        IReadOnlyCollection<OverdueHandling> overdue)
    {
        var ordered = records.OrderBy(r => r.Sequence).ToList();
        var inForce = ordered.Where(r => RecordStanding.Of(r.Standing, asOf).InForce).ToList();
        var thresholds = target.Kind == EvaluationTargetKind.Region ? standard.RegionWarning : standard.GovernmentBodyWarning;

        var indicators = standard.Indicators.Select(definition =>
        {
            var (value, behind) = Measure(definition, ordered, inForce, overdue, thresholds, target, asOf);
            return new IndicatorResult(definition, value, Points(definition, value), behind);
        }).ToList();

        var score = indicators.Sum(i => i.PointsHundredths);
        return new EvaluationResult(target, period, standard.Version, asOf, score, standard.GradeOf(score), indicators);
    }

    /// <summary>weight × 100 × (1 − min(value, threshold) / threshold), in hundredths, half away from zero.</summary>
    public static int Points(IndicatorDefinition definition, long value)
    {
        var capped = Math.Clamp(value, 0, definition.Threshold);
        var exact = definition.Weight * 100m * (definition.Threshold - capped) / definition.Threshold;
        return (int)Math.Round(exact, MidpointRounding.AwayFromZero);
    }

    private static (long Value, IReadOnlyList<Guid> Records) Measure(
        IndicatorDefinition definition,
        List<EvaluatedRecord> records,
        List<EvaluatedRecord> inForce,
        IReadOnlyCollection<OverdueHandling> overdue,
        WarningThresholds thresholds,
        EvaluationTarget target,
        DateOnly asOf)
    {
        switch (definition.Kind)
        {
            case IndicatorKind.RecordsInForce:
                var matching = inForce
                    .Where(r => definition.Categories.Count == 0 || definition.Categories.Contains(r.Category))
                    .Where(r => definition.Severities.Count == 0 || definition.Severities.Contains(r.Severity))
                    .ToList();
                return (matching.Count, Ids(matching));
            case IndicatorKind.Repaired:
                var repaired = records.Where(r => RecordStanding.Of(r.Standing, asOf).Repaired).ToList();
                return (repaired.Count, Ids(repaired));
            case IndicatorKind.Revoked:
                var revoked = records.Where(r => RecordStanding.Of(r.Standing, asOf).Revoked).ToList();
                return (revoked.Count, Ids(revoked));
            case IndicatorKind.OverdueHandlings:
                return (overdue.Count, overdue.OrderBy(o => o.RecordSequence).Select(o => o.RecordId).Distinct().ToList());
            case IndicatorKind.OutstandingArrears:
                var owing = inForce.Where(r => r.OutstandingArrearsFen > 0).ToList();
                return (owing.Sum(r => r.OutstandingArrearsFen), Ids(owing));
            case IndicatorKind.DebtRiskWarning:
                var arrears = new ArrearsSums(inForce.Sum(r => r.OutstandingArrearsFen), 0, 0, 0, inForce.Count(r => r.OutstandingArrearsFen > 0));
                var tally = new Tally(target.Key, inForce.Count, inForce.Count(r => r.Severity == RecordSeverity.Serious), arrears);
                var reasons = WarningRules.Reached(tally, thresholds);
                return (reasons.Count, reasons.Count == 0 ? [] : Ids(inForce));
            default:
                throw new ArgumentOutOfRangeException(nameof(definition), definition.Kind, "Unknown indicator kind.");
        }
    }

    private static List<Guid> Ids(IEnumerable<EvaluatedRecord> records) => records.Select(r => r.Id).ToList();
}

/// <summary>A region's place in a ranking.</summary>
public sealed record RankedRegion(int Rank, string DivisionCode, int ScoreHundredths, string Grade, bool Published);

public static class RegionRanking
{
    /// <summary>By descending score, then division code; equal scores share a rank (competition ranking: 1, 1, 3).</summary>
    public static IReadOnlyList<RankedRegion> Rank(IEnumerable<(string DivisionCode, int ScoreHundredths, string Grade, bool Published)> scores)
    {
        var ordered = scores.OrderByDescending(s => s.ScoreHundredths).ThenBy(s => s.DivisionCode, StringComparer.Ordinal).ToList();
        var ranked = new List<RankedRegion>(ordered.Count);
        for (var i = 0; i < ordered.Count; i++)
        {
            var rank = i > 0 && ordered[i].ScoreHundredths == ordered[i - 1].ScoreHundredths ? ranked[i - 1].Rank : i + 1;
            ranked.Add(new RankedRegion(rank, ordered[i].DivisionCode, ordered[i].ScoreHundredths, ordered[i].Grade, ordered[i].Published));
        }

        return ranked;
    }

    /// <summary>
    /// The regions directly below <paramref name="parent"/>: the prefectures of the autonomous region (150000), or the
    /// counties of a prefecture; <paramref name="known"/> are the division codes of the subjects with records. The parent
    /// itself is not among them (bodies of the autonomous region or of a league's own level are evaluated as such, not ranked).
    /// </summary>
    public static IReadOnlyList<string> Children(string parent, IEnumerable<string> prefectures, IEnumerable<string> known)
    {
        if (parent.EndsWith("0000", StringComparison.Ordinal))
        {
            var prefix = parent[..2];
            return prefectures.Where(p => p.StartsWith(prefix, StringComparison.Ordinal))
                .Concat(known.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Select(k => DivisionRollup.ToLevel(k, RegionLevel.Prefecture)))
                .Where(p => p != parent)
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        }

        var county = DivisionRollup.ScopePrefix(parent);
        return known.Where(k => k.StartsWith(county, StringComparison.Ordinal))
            .Select(k => DivisionRollup.ToLevel(k, RegionLevel.County))
            .Where(k => k != parent)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }
}
