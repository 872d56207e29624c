using System.Globalization;

namespace CreditExchange.Domain.Records;

/// <summary>The kind on a record that requires a severity, and the least severity it requires.</summary>
/// <param name="Kind">The kind, named as the contract names it (e.g. "PENALTY_KIND_LICENCE_REVOCATION").</param>
public sealed record SeverityRequirement(RecordSeverity Minimum, string Kind);

/// <summary>A kind's period of effect as the rule that governs it sets it.</summary>
/// <param name="Months">Its length from the decision date; null when it never ends (开除).</param>
/// <param name="Fixed">
/// True when the law fixes it (公职人员政务处分法 art. 8): a typed end that differs is refused. False when the rule sets
/// a least period (影响期) that the decision may lengthen but not shorten.
/// </param>
public sealed record StatutoryPeriod(int? Months, bool Fixed, string Source)
{
    /// <summary>The period's last day for a decision of <paramref name="decisionDate"/>: N months end the day before the same day N months later.</summary>
    public DateOnly LastDay(DateOnly decisionDate) => Months is { } months ? decisionDate.AddMonths(months).AddDays(-1) : PeriodOfEffect.Indefinite;
}

/// <summary>The law's period of effect for a record's kinds: its last day, whether it is fixed, and the kind and rule that set it.</summary>
public sealed record StatutoryEnd(DateOnly LastDay, bool Fixed, string Kind, string Source);

/// <summary>
/// The largest fines a minor record may carry: the summary procedure's caps (行政处罚法 art. 51: 对公民处二百元以下、对法人
/// 或者其他组织处三千元以下罚款), in fen, for a person and for a body. Above them a penalty is not minor.
/// </summary>
public sealed record MinorAmountCaps(long FineFenPerson, long FineFenBody, string Source)
{
    /// <summary>Why amounts exclude minor (null when they do not): a fine above the cap, or any confiscation.</summary>
    public string? Excludes(long fineFen, long confiscatedFen, bool subjectIsPerson)
    {
        var cap = subjectIsPerson ? FineFenPerson : FineFenBody;
        if (fineFen > cap)
        {
            return $"a fine of {Yuan(fineFen)} yuan is above the summary procedure's {Yuan(cap)} yuan for {(subjectIsPerson ? "a person" : "a body")} ({Source})";
        }

        return confiscatedFen > 0 ? $"a confiscation ({Yuan(confiscatedFen)} yuan) is never decided by summary procedure ({Source})" : null;
    }

    private static string Yuan(long fen) => (fen / 100m).ToString("#,##0.##", CultureInfo.InvariantCulture);
}

/// <summary>
/// One version of the law's table: the least severity that penalty kinds, disciplinary sanctions and accountability
/// measures imply, the periods of effect the law gives them, and the amounts above which a record is not minor.
/// Versions are data, like the disclosure policies: a change is a new version with its own effective date, never an
/// edit of an old one.
/// </summary>
/// <param name="Minimums">The least severity per kind, keyed by the kind's contract name.</param>
/// <param name="Periods">The period of effect per kind (contract name) that the governing rule sets.</param>
/// <param name="MinorCaps">The amounts a minor record may carry; null when the version sets none.</param>
public sealed record SeverityTableVersion(
    string Version,
    DateOnly EffectiveFrom,
    string Source,
    IReadOnlyDictionary<string, RecordSeverity> Minimums,
    IReadOnlyDictionary<string, StatutoryPeriod>? Periods = null,
    MinorAmountCaps? MinorCaps = null)
{
    /// <summary>The most demanding requirement among <paramref name="kinds"/> (contract names); null when none requires more than minor.</summary>
    public SeverityRequirement? Requirement(IEnumerable<string> kinds) => kinds
        .Where(Minimums.ContainsKey)
        .Select(k => new SeverityRequirement(Minimums[k], k))
        .Where(r => r.Minimum > RecordSeverity.Minor)
        .OrderByDescending(r => r.Minimum)
        .ThenBy(r => r.Kind, StringComparer.Ordinal)
        .FirstOrDefault();

    /// <summary>
    /// The law's period of effect for a record of <paramref name="kinds"/> decided on <paramref name="decisionDate"/>: a
    /// fixed period when a kind has one (the longest, should several), else the longest least period; null when no kind
    /// has a period.
    /// </summary>
    public StatutoryEnd? End(DateOnly decisionDate, IEnumerable<string> kinds)
    {
        var found = kinds
            .Where(k => Periods?.ContainsKey(k) == true)
            .Select(k => (Kind: k, Period: Periods![k]))
            .OrderByDescending(f => f.Period.Fixed)
            .ThenByDescending(f => f.Period.LastDay(decisionDate))
            .ThenBy(f => f.Kind, StringComparer.Ordinal)
            .ToList();
        return found.Count == 0 ? null : new StatutoryEnd(found[0].Period.LastDay(decisionDate), found[0].Period.Fixed, found[0].Kind, found[0].Period.Source);
    }
}

/// <summary>Every version of the severity table; a record is checked against the version in force on its decision date.</summary>
public sealed class SeverityTable
{
    private readonly List<SeverityTableVersion> _byDate;

    public SeverityTable(IEnumerable<SeverityTableVersion> versions, ISet<string> knownKinds)
    {
        _byDate = [.. versions.OrderBy(v => v.EffectiveFrom)];
        var problems = new List<string>();
        if (_byDate.Count == 0)
        {
            problems.Add("at least one version is required");
        }

        problems.AddRange(_byDate.GroupBy(v => v.Version).Where(g => g.Count() > 1).Select(g => $"version '{g.Key}' appears more than once"));
        problems.AddRange(_byDate.GroupBy(v => v.EffectiveFrom).Where(g => g.Count() > 1)
            .Select(g => $"versions {string.Join(", ", g.Select(v => v.Version))} take effect on the same day {g.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"));
        foreach (var version in _byDate)
        {
            problems.AddRange(version.Minimums.Keys.Where(k => !knownKinds.Contains(k)).Select(k => $"version '{version.Version}' names unknown kind '{k}'"));
            problems.AddRange(version.Minimums.Where(m => !Enum.IsDefined(m.Value)).Select(m => $"version '{version.Version}', {m.Key}: unknown severity {(int)m.Value}"));
            problems.AddRange((version.Periods?.Keys ?? []).Where(k => !knownKinds.Contains(k)).Select(k => $"version '{version.Version}' gives a period to unknown kind '{k}'"));
            problems.AddRange((version.Periods ?? new Dictionary<string, StatutoryPeriod>()).Where(p => p.Value.Months is < 1 or > 1200)
                .Select(p => $"version '{version.Version}', {p.Key}: a period must be 1–1,200 months (or none: never ends)"));
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid severity table: " + string.Join("; ", problems) + ".");
        }
    }

    public IReadOnlyList<SeverityTableVersion> Versions => _byDate;

    /// <summary>The version for a record decided on <paramref name="decisionDate"/>: the latest in force by then, else the earliest.</summary>
    public SeverityTableVersion For(DateOnly decisionDate) => _byDate.LastOrDefault(v => v.EffectiveFrom <= decisionDate) ?? _byDate[0];
}
